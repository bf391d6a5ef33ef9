package io.gim.grpc;

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
 * gim-grpc's public API (hand-written public types of io.gim.grpc; the generated stubs are
 * protobuf's and gRPC's) names no internal, Netty, jOOQ or Lettuce type: a host sees gRPC and GIM
 * types only, so the Netty under grpc-netty can change without breaking it.
 */
class PublicApiTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.gim.grpc");

  @Test
  void publicSignaturesNameNoInternalOrTransportTypes() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      if (!c.getPackageName().equals("io.gim.grpc")
          || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      for (JavaCodeUnit unit : c.getCodeUnits()) {
        if (!unit.getModifiers().contains(JavaModifier.PUBLIC)) {
          continue;
        }
        Stream.concat(unit.getRawParameterTypes().stream(), Stream.of(unit.getRawReturnType()))
            .map(JavaClass::getName)
            .filter(
                n ->
                    n.contains(".internal.")
                        || n.startsWith("io.netty.")
                        || n.startsWith("io.grpc.netty.")
                        || n.startsWith("org.jooq.")
                        || n.startsWith("io.lettuce."))
            .forEach(n -> violations.add(unit.getFullName() + " uses " + n));
      }
    }
    assertThat(CLASSES).extracting(JavaClass::getName).contains(GrpcApi.class.getName());
    assertThat(violations).isEmpty();
  }

  @Test
  void theServicesArePackagePrivate() {
    for (Class<?> service :
        List.of(
            MessageExtApi.class,
            MessageIntApi.class,
            GroupIntApi.class,
            RoomIntApi.class,
            DeviceIntApi.class)) {
      assertThat(java.lang.reflect.Modifier.isPublic(service.getModifiers()))
          .as(service.getSimpleName())
          .isFalse();
    }
  }
}
