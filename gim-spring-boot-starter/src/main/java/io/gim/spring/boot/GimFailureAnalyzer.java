package io.gim.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link GimStarterException} into Spring Boot's start-up report. Stateless. */
final class GimFailureAnalyzer extends AbstractFailureAnalyzer<GimStarterException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, GimStarterException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
