package ${package};

import java.util.Random;

/**
 * The data set this repository starts with: points on the arms of a spiral in the plane, one arm
 * per class, with Gaussian noise. Generated from the seed, so it needs no download, and hard
 * enough that a linear model fails and a small MLP succeeds.
 *
 * @param x two features (the point's coordinates) per point
 * @param y the point's arm, from 0
 */
public record SyntheticData(float[] x, float[] y) {
    /** {@code samples} points on {@code classes} spiral arms, noise {@code noise}, from {@code seed}. */
    public static SyntheticData spirals(int samples, int classes, double noise, long seed) {
        Random random = new Random(seed);
        float[] x = new float[samples * 2];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            int arm = i % classes;
            double r = (double) (i / classes) / Math.max(1, samples / classes - 1);
            double angle = arm * 2 * Math.PI / classes + r * 4.0 + random.nextGaussian() * noise;
            x[i * 2] = (float) (r * Math.cos(angle));
            x[i * 2 + 1] = (float) (r * Math.sin(angle));
            y[i] = arm;
        }
        return new SyntheticData(x, y);
    }
}
