package io.gim.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client's public API, every public member of every public type in {@code io.gim.client}, names
 * only the client's own types and the JDK's: no generated protobuf class, no Netty type and nothing
 * from {@code internal}, in raw types and type arguments alike.
 */
class PublicApiTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.gim.client");

  @Test
  void publicSignaturesMentionNoProtocolNettyOrInternalType() {
    List<JavaClass> api =
        CLASSES.stream().filter(c -> c.getPackageName().equals("io.gim.client")).toList();

    assertThat(api)
        .extracting(JavaClass::getSimpleName)
        .contains("GimClient", "GimClientBuilder", "MessageListener", "ReceivedMessage", "User");
    assertThat(api.stream().flatMap(PublicApiTest::violations)).isEmpty();
  }

  @Test
  void theCheckSeesForbiddenTypesWhereTheyAreAllowed() {
    // The internal engine may use all of them; if the check finds none there, it is blind.
    List<String> internal =
        CLASSES.stream()
            .filter(c -> c.getPackageName().equals("io.gim.client.internal"))
            .flatMap(PublicApiTest::violations)
            .toList();

    assertThat(internal)
        .anyMatch(v -> v.contains("io.netty."))
        .anyMatch(v -> v.contains("io.gim.protocol."));
  }

  private static Stream<String> violations(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
      return Stream.empty();
    }
    List<String> found = new ArrayList<>();
    c.getSuperclass().ifPresent(s -> check(c.getName() + " extends", s, found));
    c.getInterfaces().forEach(i -> check(c.getName() + " implements", i, found));
    for (JavaField f : c.getFields()) {
      if (f.getModifiers().contains(JavaModifier.PUBLIC)) {
        check(f.getFullName(), f.getType(), found);
      }
    }
    for (JavaCodeUnit unit : c.getCodeUnits()) {
      if (unit.getModifiers().contains(JavaModifier.PUBLIC)) {
        unit.getParameterTypes().forEach(t -> check(unit.getFullName(), t, found));
        check(unit.getFullName(), unit.getReturnType(), found);
        unit.getThrowsClause().getTypes().forEach(t -> check(unit.getFullName(), t, found));
      }
    }
    return found.stream();
  }

  private static void check(String where, JavaType type, List<String> found) {
    for (JavaClass involved : type.getAllInvolvedRawTypes()) {
      if (forbidden(involved.getName())) {
        found.add(where + " uses " + involved.getName());
      }
    }
  }

  private static boolean forbidden(String name) {
    return name.startsWith("io.gim.protocol.")
        || name.startsWith("com.google.protobuf.")
        || name.startsWith("io.netty.")
        || name.contains(".internal.");
  }
}
