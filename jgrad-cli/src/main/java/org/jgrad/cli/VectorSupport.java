package org.jgrad.cli;

/**
 * Whether the Vector API ({@code jdk.incubator.vector}) is usable in this JVM, and the
 * preferred float vector shape.
 *
 * <p>Looked up by reflection so that this class loads and answers even when the JVM was
 * started without {@code --add-modules jdk.incubator.vector}.
 *
 * @param available whether {@code jdk.incubator.vector.FloatVector} could be loaded
 * @param floatLanes lanes of {@code FloatVector.SPECIES_PREFERRED} (0 if unavailable)
 * @param bits bit size of that species (0 if unavailable)
 */
public record VectorSupport(boolean available, int floatLanes, int bits) {

  /** Probes this JVM; never throws, whatever the JVM lacks. */
  public static VectorSupport detect() {
    try {
      Class<?> floatVector = Class.forName("jdk.incubator.vector.FloatVector");
      Object species = floatVector.getField("SPECIES_PREFERRED").get(null);
      // Call through the public interface: the species' own class is not public.
      Class<?> vectorSpecies = Class.forName("jdk.incubator.vector.VectorSpecies");
      int lanes = (Integer) vectorSpecies.getMethod("length").invoke(species);
      int bits = (Integer) vectorSpecies.getMethod("vectorBitSize").invoke(species);
      return new VectorSupport(true, lanes, bits);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return new VectorSupport(false, 0, 0);
    }
  }

  /** One line for {@code jgrad version}. */
  public String describe() {
    return available
        ? "Vector API (jdk.incubator.vector): available, preferred float vector "
            + floatLanes + " lanes (" + bits + " bits)"
        : "Vector API (jdk.incubator.vector): not available"
            + " (start the JVM with --add-modules jdk.incubator.vector, as ./jgrad does)";
  }
}
