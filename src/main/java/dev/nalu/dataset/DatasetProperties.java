package dev.nalu.dataset;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of uploaded datasets (nalu.datasets.*), checked while the upload streams in: nothing is held in memory but
 * one chunk of about 1 MB, so the limits bound the database, not the heap.
 *
 * @param maxBytes    bytes of an upload's body (CSV or JSON); it may be far larger than nalu.limits.max-request-size
 * @param maxRows     rows of a dataset
 * @param maxColumns  columns of a dataset
 * @param maxUploads  uploads parsed at once on this replica; one more waits a few seconds, then is a 503
 */
@Validated
@ConfigurationProperties("nalu.datasets")
public record DatasetProperties(
        @DefaultValue("50MB") DataSize maxBytes,
        @DefaultValue("1000000") @Positive int maxRows,
        @DefaultValue("100") @Positive int maxColumns,
        @DefaultValue("2") @Positive int maxUploads) {
}
