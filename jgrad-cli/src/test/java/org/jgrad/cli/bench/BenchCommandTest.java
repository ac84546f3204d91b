package org.jgrad.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.cli.JgradCommandTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrad bench} on tiny sizes: the table, and JSON under the reference script's keys. */
class BenchCommandTest {

  @Test
  void sgemmRowsGoToTheTableAndTheJson(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("b.json");
    JgradCommandTest.Result r = JgradCommandTest.run(
        "bench", "--threads", "1", "--only", "sgemm", "--sizes", "16,33", "--json", json.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("sgemm n=33"), r.out());
    String j = Files.readString(json);
    for (String key : new String[] {"\"threads\": 1", "\"sgemm_16_gflops\": ", "\"sgemm_33_gflops\": ", "\"gc_share_total\": "})
      assertTrue(j.contains(key), key + " in " + j);
  }

  @Test
  void latencyRowsGoToTheTableAndTheJson(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("l.json");
    JgradCommandTest.Result r = JgradCommandTest.run("bench", "--threads", "2", "--only", "latency", "--json", json.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("resnet18 eval b1 3x32x32") && r.out().contains("20 fusions"), r.out());
    String j = Files.readString(json);
    for (String key : new String[] {"\"resnet18_infer_b1_ms\": ", "\"resnet18_infer_b1_plain_ms\": ",
        "\"resnet18_infer_b1_prepare_ms\": ", "\"resnet18_infer_b1_img_s\": ", "\"resnet18_infer_b1_threads\": 2"})
      assertTrue(j.contains(key), key + " in " + j);
  }

  @Test
  void unknownWorkloadIsAnError() {
    JgradCommandTest.Result r = JgradCommandTest.run("bench", "--only", "sgemm,bogus");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("unknown workload 'bogus'"), r.err());
  }

  @Test
  void medianAndJson() {
    assertEquals(2.0, BenchCommand.median(new double[] {3, 1, 2}));
    assertEquals(2.5, BenchCommand.median(new double[] {4, 1, 2, 3}));
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("a", 1);
    m.put("b", "x\"y");
    assertEquals("{\n \"a\": 1,\n \"b\": \"x\\\"y\"\n}\n", BenchCommand.toJson(m));
  }
}
