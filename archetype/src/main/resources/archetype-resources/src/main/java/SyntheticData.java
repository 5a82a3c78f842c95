package ${package};

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Random;

/**
 * The data set this repository starts with: points on the arms of a spiral in the plane, one arm
 * per class, with Gaussian noise. Generated from the seed, so it needs no download, and hard
 * enough that a linear model fails and a small MLP succeeds.
 */
public final class SyntheticData {
    private final float[][] features;
    private final int[] labels;

    private SyntheticData(float[][] features, int[] labels) {
        this.features = features;
        this.labels = labels;
    }

    /** {@code samples} points on {@code classes} spiral arms, noise {@code noise}, from {@code seed}. */
    public static SyntheticData spirals(int samples, int classes, double noise, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[samples][2];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            int arm = i % classes;
            double r = (double) (i / classes) / Math.max(1, samples / classes - 1);
            double angle = arm * 2 * Math.PI / classes + r * 4.0 + random.nextGaussian() * noise;
            x[i][0] = (float) (r * Math.cos(angle));
            x[i][1] = (float) (r * Math.sin(angle));
            y[i] = arm;
        }
        return new SyntheticData(x, y);
    }

    /** Number of points. */
    public int size() {
        return labels.length;
    }

    /**
     * Splits off the last {@code fraction} of a seeded permutation as validation data; the
     * training part keeps the rest. Both are DJL data sets with the given samplers.
     */
    public ArrayDataset[] split(NDManager manager, double fraction, long seed, Sampler train, Sampler validation) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed ^ 0x5DEECE66DL);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int validationSize = (int) Math.round(size() * fraction);
        int trainSize = size() - validationSize;
        return new ArrayDataset[] {
            dataset(manager, order, 0, trainSize, train),
            dataset(manager, order, trainSize, size(), validation)
        };
    }

    private ArrayDataset dataset(NDManager manager, int[] order, int from, int to, Sampler sampler) {
        float[] x = new float[(to - from) * 2];
        float[] y = new float[to - from];
        for (int i = from; i < to; i++) {
            x[(i - from) * 2] = features[order[i]][0];
            x[(i - from) * 2 + 1] = features[order[i]][1];
            y[i - from] = labels[order[i]];
        }
        NDArray data = manager.create(x, new Shape(to - from, 2));
        NDArray label = manager.create(y, new Shape(to - from));
        return new ArrayDataset.Builder().setData(data).optLabels(label).setSampling(sampler).build();
    }
}
