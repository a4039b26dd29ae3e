package io.salesync.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering both applications follow: {@code ui} (Swing only), {@code service} (use cases),
 * {@code persistence} (JDBC) and {@code messaging} (AMQP). Swing stops at {@code ui}; JDBC and AMQP
 * types never reach it. An application's LayeringTest includes these with
 * {@code ArchTests.in(AppLayeringRules.class)}. Rules that start from {@code ui} allow an empty
 * match so that they stay true for a build without windows.
 */
public final class AppLayeringRules {

    @ArchTest
    public static final ArchRule uiUsesNeitherJdbcNorAmqpNorThePool = noClasses()
            .that()
            .resideInAPackage("..ui..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "javax.sql..", "com.rabbitmq..", "com.zaxxer..")
            .because("the window talks to services, never to the database or the broker directly")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule uiSkipsPersistenceAndMessaging = noClasses()
            .that()
            .resideInAPackage("..ui..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..persistence..", "..messaging..")
            .because("the window goes through the service layer")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule persistenceKnowsNeitherMessagingNorUi = noClasses()
            .that()
            .resideInAPackage("..persistence..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..messaging..", "..ui..");

    @ArchTest
    public static final ArchRule messagingKnowsNoUi = noClasses()
            .that()
            .resideInAPackage("..messaging..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..ui..");

    @ArchTest
    public static final ArchRule serviceKnowsNoUi = noClasses()
            .that()
            .resideInAPackage("..service..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..ui..");

    @ArchTest
    public static final ArchRule swingStaysInUi = noClasses()
            .that()
            .resideOutsideOfPackage("..ui..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("javax.swing..")
            .because("everything but the window must run headless");

    private AppLayeringRules() {}
}
