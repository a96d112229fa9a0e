package dev.nalu.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The service's own settings (nalu.*), documented in src/main/resources/application.yml. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LimitsProperties.class, JobsProperties.class})
public class PropertiesConfiguration {
}
