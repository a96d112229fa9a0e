package dev.nalu.compute;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A token embedding in front of a recurrent cell, learned per member: token v (1 … V) reads row v
 * of E (V × in), e_t = E[v_t], and the cell's data part is e_t·W_x. Member k's E is stored
 * [V, K, in] like every data weight.
 *
 * <p>Batched over the population without per-member inputs: e_t·W_x = onehot(v_t)·(E·W_x), so each
 * data weight W_x of the cell is replaced by the derived M = E·W_x ([V, K, out], per member a
 * V × out matrix), made once per forward pass (three ops per W_x), and every time step stays one
 * GEMM of the shared one-hot tokens [B, V] against M, as for vector inputs. Backward: the steps
 * accumulate dM as they would dW_x; once per pass dE += dM·W_xᵀ and dW_x += Eᵀ·dM, per member
 * (three ops each). The number of ops per step does not change, and no op depends on K.
 */
final class TokenEmbedding {
    private final RecurrentCell cell;
    private final Param table;
    private final Map<Param, Derived> derived = new IdentityHashMap<>();
    /** [V, K, in, out], shared by every derived weight (they have the same out, the hidden size). */
    private INDArray product;
    private Nd.Kernel[] forward = new Nd.Kernel[0];
    private Nd.Kernel[] backward = new Nd.Kernel[0];

    TokenEmbedding(RecurrentCell cell, Param table) {
        this.cell = cell;
        this.table = table;
    }

    int vocabulary() {
        return table.rows;
    }

    /** E ~ N(0, 1), PyTorch's nn.Embedding. */
    void initialise(int member, SplittableRandom rng) {
        double[] d = new double[table.rows * table.cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        table.write(member, new Tensor(table.rows, table.cols, d));
    }

    /** M = E·W_x and its gradient buffer, for one data weight of the cell: [V, K, out]. */
    record Derived(INDArray value, INDArray grad) {
    }

    Derived derive(Param wx) {
        return derived.computeIfAbsent(wx, this::build);
    }

    private Derived build(Param wx) {
        int v = table.rows;
        int in = table.cols;
        int k = cell.members;
        int out = wx.cols;
        if (product == null) {
            product = cell.buffer(v, k, in, out);
        }
        Derived d = new Derived(cell.buffer(v, k, out), cell.buffer(v, k, out));
        INDArray wPerm = cell.buffer(k, in, out);                         // W_x as [K, in, out]
        INDArray dTable = cell.buffer(v, k, in);
        INDArray dW = cell.buffer(k, in, out);
        INDArray e4 = table.value.reshape(v, k, in, 1);
        INDArray w4 = wPerm.reshape(1, k, in, out);
        INDArray dm4 = d.grad().reshape(v, k, 1, out);
        INDArray wxPerm = wx.value.permute(1, 0, 2);
        INDArray dWxPerm = wx.grad.permute(1, 0, 2);
        forward = append(forward,
                () -> wPerm.assign(wxPerm),
                Nd.mulOp(e4, w4, product),                                       // E_vki W_kij
                Nd.sumOp(product, d.value(), 2));                                // M = E·W_x
        backward = append(backward,
                Nd.mulOp(dm4, w4, product),
                Nd.sumOp(product, dTable, 3),
                Nd.addOp(table.grad, dTable, table.grad),                        // dE += dM·W_xᵀ
                Nd.mulOp(e4, dm4, product),
                Nd.sumOp(product, dW, 0),
                Nd.addOp(dWxPerm, dW, dWxPerm));                                 // dW_x += Eᵀ·dM
        return d;
    }

    private static Nd.Kernel[] append(Nd.Kernel[] a, Nd.Kernel... more) {
        Nd.Kernel[] all = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, all, a.length, more.length);
        return all;
    }

    /** Once per forward pass, before the first step: every M = E·W_x. */
    void prepare() {
        Nd.run(forward);
    }

    /** Once per backward pass, before the last step's backward. */
    void beginBackward() {
        for (Derived d : derived.values()) {
            d.grad().assign(0);
        }
    }

    /** Once per backward pass, after the first step's backward: dM to dE and dW_x. */
    void finishBackward() {
        Nd.run(backward);
    }

    /** e = E[token] for one member's weights in float64 (token 1 … V). */
    static double[] row(CellWeights w, int token) {
        Tensor e = w.get("E");
        double[] r = new double[e.cols()];
        for (int j = 0; j < r.length; j++) {
            r[j] = e.at(token - 1, j);
        }
        return r;
    }
}
