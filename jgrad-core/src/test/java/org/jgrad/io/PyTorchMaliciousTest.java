package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The refusals: pickles that would run code under {@code pickle.load}, whole-model pickles, lies about
 * sizes, truncations (pytorch/bad/, written by make_fixtures.py). Each gets a
 * {@link PyTorchFormatException} naming what was wrong and where, and nothing else happens.
 */
class PyTorchMaliciousTest {
    @TempDir
    Path dir;

    private Path bad(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("pytorch/bad/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            Files.copy(in, p);
        }
        return p;
    }

    // The offsets are those of the committed files; the legacy format keys storages by Python object
    // ids, so regenerating the legacy files moves the last row's offset.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            os_system.pth                   | 82   | pickle global os.system is not allowed
            posix_system.pth                | 82   | pickle global posix.system is not allowed
            builtins_eval.pth               | 48   | pickle global builtins.eval is not allowed
            builtins_exec_stack_global.pth  | 70   | pickle global builtins.exec is not allowed
            getattr_chain.pth               | 48   | pickle global builtins.getattr is not allowed
            whole_model.pth                 | 66   | pickle global torch.nn.modules.container.Sequential is not allowed
            nested_reduce.pth               | 76   | REDUCE on dict is not allowed
            rebuild_with_global.pth         | 184  | tensor storage is a global torch.FloatStorage, not a persistent-id storage
            newobj.pth                      | 74   | opcode NEWOBJ creates an instance of a class named in the file
            build_on_tensor.pth             | 232  | BUILD on a tensor with a dict state is not allowed
            storage_size_lie.pth            | 169  | storage '0' claims 1000 elements of torch.FloatStorage (torch.float32) (4000 bytes) but its entry holds 16 bytes
            huge_shape.pth                  | 221  | tensor size [1099511627776] has a dimension over 2^31-1
            huge_numel.pth                  | 228  | tensor size [65536, 65536] has more elements than a jgrad tensor holds
            stride_past_storage.pth         | 228  | tensor of size [2, 2], stride [3, 1] and offset 0 reaches element 4 of storage '0', which holds 4 elements
            offset_past_storage.pth         | 218  | reaches element 4 of storage '0', which holds 4 elements
            huge_storage_claim.pth          | 174  | storage '0' claims 2305843009213693952 elements
            missing_storage.pth             | 169  | storage '7' has no entry 'archive/data/7' in the archive
            string_length_lie.pth           | 53   | BINUNICODE claims 2147483647 bytes but only 4 are left
            unsupported_storage.pth         | 129  | storage type torch.ComplexFloatStorage is not supported
            compressed.pth                  | 283  | entry 'archive/data.pkl' is compressed (method 8)
            no_data_pkl.pth                 | -1   | a zip archive without '<name>/data.pkl'
            torchscript.pt                  | -1   | a TorchScript archive (torch.jit.save)
            truncated_zip.pth               | -1   | without its end-of-central-directory record
            truncated_legacy_pickle.pth     | 300  | pickle ends early
            truncated_legacy_storage.pth    | 1518 | claims 12 bytes but only 2 are left in the file
            not_a_checkpoint.pth            | 0    | not a PyTorch checkpoint: it starts with 68 65 6c 6c
            no_state_dict.pth               | -1   | not a state dict: entry 'epoch' is an int, not a tensor; and no state_dict, model, model_state_dict entry holds one
            """)
    void isRefusedWithWhatAndWhere(String file, long offset, String problem) throws IOException {
        Path f = bad(file);
        PyTorchFormatException e = assertThrows(PyTorchFormatException.class, () -> PyTorchCheckpoint.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(offset, e.byteOffset(), e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void nothingNamedInTheFileRuns() throws IOException {
        // Under pickle.load these would create this file; here they are only names in a refused pickle.
        Path marker = Path.of("/tmp/jgrad-pwned");
        for (String name : new String[] {"os_system.pth", "posix_system.pth", "builtins_eval.pth"}) {
            Path f = bad(name);
            assertThrows(PyTorchFormatException.class, () -> PyTorchCheckpoint.read(f));
        }
        assertFalse(Files.exists(marker), "a refused pickle created " + marker);
    }

    @Test
    void weightsLoadRefusesAndLeavesTheModelAlone() throws IOException {
        Module m = new Linear(2, 2);
        float[] before = m.stateDict().get("weight").toFloatArray();
        Path f = bad("os_system.pth");
        assertThrows(PyTorchFormatException.class, () -> Weights.load(m, f));
        Tensor after = m.stateDict().get("weight");
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, after.toFloatArray());
    }
}
