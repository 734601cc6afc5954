package dev.vpcflowlogs.recorder;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The production code's bytecode, imported once per test JVM: the architecture test and the templates' tests (which
 * read the AWS calls the code makes) all look at the same classes, and the import is the slow part.
 */
public final class ProductionClasses {

    private ProductionClasses() {}

    private static final class Holder {
        static final JavaClasses CLASSES = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vpcflowlogs.recorder");
    }

    public static JavaClasses get() {
        return Holder.CLASSES;
    }
}
