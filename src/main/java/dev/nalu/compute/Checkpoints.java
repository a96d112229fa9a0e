package dev.nalu.compute;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parts a population trainer's checkpoint shares with every other ({@link Trainer}, {@link SequenceTrainer}):
 * a header naming what it is for (format version, architecture, population, precision), the population's
 * parameter values as one block of bytes, and the optimiser's float64 state vectors. Each trainer writes its own
 * fields between them; the bytes are those each trainer wrote before this class existed, so older checkpoints load.
 */
final class Checkpoints {
    private Checkpoints() {
    }

    static void writeHeader(DataOutputStream out, int version, String architecture, int members, DataType type)
            throws IOException {
        out.writeInt(version);
        out.writeUTF(architecture);
        out.writeInt(members);
        out.writeUTF(type.name());
    }

    /** Reads a header and refuses one that is not for this version, architecture, population and precision. */
    static void readHeader(DataInputStream in, int version, String what, String architecture, int members,
                           DataType type) throws IOException {
        int v = in.readInt();
        if (v != version) {
            throw new IllegalArgumentException("unsupported " + what + " version " + v);
        }
        String arch = in.readUTF();
        int k = in.readInt();
        String t = in.readUTF();
        if (!arch.equals(architecture) || k != members || !t.equals(type.name())) {
            throw new IllegalArgumentException("checkpoint is for " + arch + " ×" + k + " " + t + ", not " + architecture
                    + " ×" + members + " " + type);
        }
    }

    static void writeValues(DataOutputStream out, INDArray flat) throws IOException {
        byte[] b = PopulationModel.bytes(flat);
        out.writeInt(b.length);
        out.write(b);
    }

    static void readValues(DataInputStream in, INDArray flat) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        PopulationModel.load(flat, b);
    }

    static void writeState(DataOutputStream out, double[][] state) throws IOException {
        out.writeInt(state.length);
        for (double[] s : state) {
            out.writeInt(s.length);
            for (double d : s) {
                out.writeDouble(d);
            }
        }
    }

    /** Reads the optimiser's state vectors into {@code state}, refusing a different count or size. */
    static void readState(DataInputStream in, double[][] state) throws IOException {
        int states = in.readInt();
        if (states != state.length) {
            throw new IllegalArgumentException("checkpoint has " + states + " optimiser states, expected " + state.length);
        }
        for (double[] s : state) {
            int n = in.readInt();
            if (n != s.length) {
                throw new IllegalArgumentException("checkpoint optimiser state has " + n + " values, expected " + s.length);
            }
            for (int i = 0; i < n; i++) {
                s[i] = in.readDouble();
            }
        }
    }
}
