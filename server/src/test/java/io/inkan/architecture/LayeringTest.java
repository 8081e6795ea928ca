package io.inkan.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.inkan.cli.InkanMain;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of the architecture: the DKIM engine and the milter codec are pure, configuration and
 * telemetry stand alone, and Vert.x stays at the edge (runtime, with its admin endpoint, and cli).
 */
class LayeringTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() throws Exception {
    // the main classes' own folder, whatever the build directory is called
    Path classes =
        Path.of(InkanMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().importPath(classes);
  }

  @Test
  void dkimEngineImportsNothingElseOfInkan() {
    noClasses()
        .that()
        .resideInAPackage("io.inkan.dkim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.inkan.milter..",
            "io.inkan.config..",
            "io.inkan.dataset..",
            "io.inkan.keys..",
            "io.inkan.dns..",
            "io.inkan.policy..",
            "io.inkan.runtime..",
            "io.inkan.cli..",
            "io.inkan.bench..",
            "io.inkan.telemetry..")
        .check(main);
  }

  @Test
  void milterCodecAndConfigurationStandAlone() {
    for (String pkg : new String[] {"io.inkan.milter..", "io.inkan.config.."}) {
      noClasses()
          .that()
          .resideInAPackage(pkg)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.inkan.dkim..",
              "io.inkan.dataset..",
              "io.inkan.keys..",
              "io.inkan.dns..",
              "io.inkan.policy..",
              "io.inkan.runtime..",
              "io.inkan.cli..",
              "io.inkan.bench..",
              "io.inkan.telemetry..")
          .check(main);
    }
  }

  /** Meters and probes are registered from every layer, so they stand on nothing of Inkan's. */
  @Test
  void telemetryStandsAlone() {
    noClasses()
        .that()
        .resideInAPackage("io.inkan.telemetry..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.inkan.dkim..",
            "io.inkan.milter..",
            "io.inkan.config..",
            "io.inkan.dataset..",
            "io.inkan.keys..",
            "io.inkan.dns..",
            "io.inkan.policy..",
            "io.inkan.runtime..",
            "io.inkan.cli..",
            "io.inkan.bench..",
            "io.vertx..",
            "io.netty..")
        .check(main);
  }

  @Test
  void vertxStaysInRuntimeAndCli() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.inkan.runtime..", "io.inkan.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.vertx..")
        .check(main);
  }

  @Test
  void policyHasNoSocketsOrEventLoop() {
    noClasses()
        .that()
        .resideInAPackage("io.inkan.policy..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.inkan.runtime..", "io.inkan.cli..", "io.netty..")
        .check(main);
  }
}
