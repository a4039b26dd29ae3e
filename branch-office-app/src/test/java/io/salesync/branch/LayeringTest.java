package io.salesync.branch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.salesync.common.testing.AppLayeringRules;

/** The branch office's layers, by the rules both applications share. */
@AnalyzeClasses(packages = "io.salesync.branch", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchTests layers = ArchTests.in(AppLayeringRules.class);
}
