package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of every module (public members of public types outside {@code internal} packages)
 * names no internal, Netty, jOOQ or Lettuce type, and gim-core does not touch Netty.
 */
class PublicApiTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.gim");

  @Test
  void publicSignaturesNameNoInternalOrThirdPartyTransportTypes() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      if (!isPublicApi(c)) {
        continue;
      }
      for (JavaCodeUnit unit : c.getCodeUnits()) {
        if (!unit.getModifiers().contains(JavaModifier.PUBLIC)) {
          continue;
        }
        Stream.concat(unit.getRawParameterTypes().stream(), Stream.of(unit.getRawReturnType()))
            .filter(PublicApiTest::forbidden)
            .forEach(t -> violations.add(unit.getFullName() + " uses " + t.getName()));
      }
    }
    assertThat(CLASSES)
        .extracting(JavaClass::getPackageName)
        .contains("io.gim.core", "io.gim.client");
    assertThat(violations).isEmpty();
  }

  @Test
  void theEngineDoesNotDependOnNetty() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      if (c.getPackageName().startsWith("io.gim.core")
          || c.getPackageName().startsWith("io.gim.spi")) {
        c.getDirectDependenciesFromSelf().stream()
            .filter(d -> d.getTargetClass().getPackageName().startsWith("io.netty"))
            .forEach(d -> violations.add(d.getDescription()));
      }
    }
    assertThat(violations).isEmpty();
  }

  private static boolean isPublicApi(JavaClass c) {
    return c.getModifiers().contains(JavaModifier.PUBLIC)
        && !c.getPackageName().contains(".internal")
        && !c.getPackageName().startsWith("io.gim.protocol")
        && !c.getPackageName().startsWith("io.gim.bench")
        && !c.getPackageName().startsWith("io.gim.examples");
  }

  private static boolean forbidden(JavaClass t) {
    String n = t.getName();
    return n.contains(".internal.")
        || n.startsWith("io.netty.")
        || n.startsWith("org.jooq.")
        || n.startsWith("io.lettuce.");
  }
}
