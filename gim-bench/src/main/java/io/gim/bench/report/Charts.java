package io.gim.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/** Grouped bar charts drawn with java.awt, headless. Stateless. */
final class Charts {
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd)
  };
  private static final int W = 900;
  private static final int H = 420;
  private static final int LEFT = 70;
  private static final int BOTTOM = 60;
  private static final int TOP = 50;

  private Charts() {}

  /** One group of bars per category (x), one bar per series; value labels on top. */
  static void bars(String title, Map<String, Map<String, Double>> series, Path file)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Set<String> categories = new LinkedHashSet<>();
    double max = 0;
    for (Map<String, Double> s : series.values()) {
      categories.addAll(s.keySet());
      for (double v : s.values()) {
        max = Double.isFinite(v) ? Math.max(max, v) : max;
      }
    }
    max = max <= 0 ? 1 : max * 1.15;
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 25);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    int plotH = H - TOP - BOTTOM;
    g.setStroke(new BasicStroke(1));
    g.drawLine(LEFT, H - BOTTOM, W - 20, H - BOTTOM);
    g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
    for (int i = 0; i <= 4; i++) {
      int y = H - BOTTOM - plotH * i / 4;
      g.drawString(Report.fmt(max * i / 4), 5, y + 4);
    }
    List<String> cats = new ArrayList<>(categories);
    List<String> names = new ArrayList<>(series.keySet());
    int groupW = (W - LEFT - 40) / Math.max(1, cats.size());
    int barW = Math.max(4, (groupW - 20) / Math.max(1, names.size()));
    for (int c = 0; c < cats.size(); c++) {
      int x0 = LEFT + 10 + c * groupW;
      g.setColor(Color.BLACK);
      g.drawString(cats.get(c), x0 + groupW / 2 - 20, H - BOTTOM + 18);
      for (int s = 0; s < names.size(); s++) {
        Double v = series.get(names.get(s)).get(cats.get(c));
        if (v == null || !Double.isFinite(v)) {
          continue;
        }
        int h = (int) (plotH * v / max);
        int x = x0 + s * barW;
        g.setColor(PALETTE[s % PALETTE.length]);
        g.fillRect(x, H - BOTTOM - h, barW - 4, h);
        g.setColor(Color.DARK_GRAY);
        g.drawString(Report.fmt(v), x, H - BOTTOM - h - 3);
      }
    }
    for (int s = 0; s < names.size(); s++) {
      g.setColor(PALETTE[s % PALETTE.length]);
      g.fillRect(LEFT + s * 110, H - 22, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(names.get(s), LEFT + s * 110 + 16, H - 12);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
