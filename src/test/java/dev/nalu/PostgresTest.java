package dev.nalu;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * A test class that runs against the real PostgreSQL (profile "postgres", application-postgres.yml)
 * on a fresh database ({@link PostgresDatabases}). Without a reachable server it is skipped with the
 * reason, except when CI=true: there it fails, so CI never passes by skipping.
 * {@code -Dsurefire.excludedGroups=benchmark,fuzz,postgres} leaves these classes out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("postgres")
@ActiveProfiles("postgres")
@ExtendWith(PostgresTest.Condition.class)
public @interface PostgresTest {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String problem = PostgresDatabases.unreachable();
            if (problem == null) {
                return ConditionEvaluationResult.enabled("PostgreSQL at " + PostgresDatabases.HOST + " answers");
            }
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(problem + " (CI=true: PostgreSQL tests must run; .ci/run starts it)");
            }
            return ConditionEvaluationResult.disabled(problem + ": skipping the PostgreSQL variant"
                    + " (start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)");
        }
    }
}
