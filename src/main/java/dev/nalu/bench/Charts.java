package dev.nalu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The benchmark plots as PNG files (XChart, headless). */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private Charts() {
    }

    /** Lines y(x), one per series, e.g. the identity's error against x per activation. */
    static void lines(Path file, String title, String xTitle, String yTitle, double[] x, Map<String, double[]> series,
                      boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideN);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setYAxisLogarithmic(logY);
        series.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE));
        save(chart, file);
    }

    /**
     * Grouped bars: one group per category, one bar per series; NaN and infinite values are drawn as
     * 0 (the tables carry the exact figures).
     */
    static void bars(Path file, String title, String yTitle, List<String> categories, Map<String, double[]> series,
                     boolean logY) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 30 : 0);
        if (!logY) {
            chart.getStyler().setYAxisMin(0.0);
        }
        Map<String, double[]> clean = new LinkedHashMap<>();
        series.forEach((name, values) -> {
            double[] v = values.clone();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    v[i] = logY ? 1e-3 : 0;
                } else if (logY) {
                    v[i] = Math.max(v[i], 1e-3);
                }
            }
            clean.put(name, v);
        });
        clean.forEach((name, v) -> {
            List<Double> values = new ArrayList<>();
            for (double d : v) {
                values.add(d);
            }
            chart.addSeries(name, categories, values);
        });
        save(chart, file);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            System.out.println("wrote " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
