package org.jgrad.playground;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.Identity;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Sigmoid;
import org.jgrad.nn.Tanh;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * The Playground's network: features → hidden layers (one activation for all) → one output
 * neuron, tanh for classification (targets ±1) and linear for regression, as in the Playground.
 * Kept as a {@link Sequential} so that the usual jgrad tools (summary, state dict) apply, and
 * stepped layer by layer when every neuron's output is wanted for the heat maps.
 */
final class Network {
    final Sequential model;
    final List<Linear> linears = new ArrayList<>();
    private final List<Module> activations = new ArrayList<>();

    Network(int inputs, List<Integer> hidden, String activation, boolean regression, Generator gen) {
        var b = Sequential.builder("Playground");
        int in = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            Linear l = new Linear(in, hidden.get(i), true, gen);
            Module a = activation(activation);
            b.add("fc" + (i + 1), l).add("act" + (i + 1), a);
            linears.add(l);
            activations.add(a);
            in = hidden.get(i);
        }
        Linear out = new Linear(in, 1, true, gen);
        Module outAct = regression ? new Identity() : new Tanh();
        b.add("out", out).add("out_act", outAct);
        linears.add(out);
        activations.add(outAct);
        model = b.build();
    }

    private static Module activation(String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            case "linear" -> new Identity();
            default -> throw new IllegalArgumentException("Network: unknown activation '" + name + "'");
        };
    }

    /** The network's output, [n, 1]. */
    Tensor forward(Tensor x) {
        return model.call(x);
    }

    /** Every layer's output after its activation, the last being the network's output. */
    List<Tensor> forwardAll(Tensor x) {
        List<Tensor> outs = new ArrayList<>();
        Tensor h = x;
        for (int i = 0; i < linears.size(); i++) {
            h = activations.get(i).call(linears.get(i).call(h));
            outs.add(h);
        }
        return outs;
    }

    /** Weights only: the Playground regularises connections, never biases. */
    List<Tensor> weights() {
        return linears.stream().map(Linear::weight).toList();
    }
}
