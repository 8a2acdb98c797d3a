package dev.zeropool.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built classes as the JPMS module {@code dev.zeropool}, loaded on the module path in a layer of
 * their own (the other tests run on the class path, where module boundaries do not apply): the module
 * resolves, exports {@code dev.zeropool} and {@code dev.zeropool.pinned} only, and {@code dev.zeropool.internal} can be neither
 * compiled against nor reflected into from another module.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModulePathTest {

  /** The module's class folder ({@code target/classes}), set by Surefire. */
  private static final Path MODULE_DIR =
      Path.of(System.getProperty("zeropool.moduleDir", "target/classes")).toAbsolutePath();

  /**
   * Resolves {@code roots} from {@code dirs} in a new layer whose loader does not see the class path,
   * so the classes come from the module and not from the class-path copy the other tests use.
   */
  private static ModuleLayer layerOf(Set<String> roots, Path... dirs) {
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration().resolve(ModuleFinder.of(dirs), ModuleFinder.of(), roots);
    return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  private static Module zeropoolModule(ModuleLayer layer) {
    return layer.findModule("dev.zeropool").orElseThrow();
  }

  @Test
  void theDescriptorExportsTheApiPackagesOnly() {
    ModuleDescriptor d = zeropoolModule(layerOf(Set.of("dev.zeropool"), MODULE_DIR)).getDescriptor();
    assertEquals("dev.zeropool", d.name());
    assertFalse(d.isAutomatic());
    assertFalse(d.isOpen());
    assertEquals(Set.of("dev.zeropool", "dev.zeropool.pinned"),
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), d.exports().toString());
    assertTrue(d.opens().isEmpty(), d.opens().toString());
    assertTrue(d.packages().contains("dev.zeropool.internal"), d.packages().toString());
    ModuleDescriptor.Requires affinity = d.requires().stream()
        .filter(r -> r.name().equals("affinity")).findFirst().orElseThrow();
    assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), affinity.modifiers());
  }

  @Test
  void theModuleResolvesWithoutTheOptionalAffinityLibraryAndItsPoolRuns() throws Exception {
    ModuleLayer layer = layerOf(Set.of("dev.zeropool"), MODULE_DIR);
    assertTrue(layer.findModule("affinity").isEmpty(), "requires static must not pull the library in");
    Module zeropool = zeropoolModule(layer);
    assertTrue(zeropool.isExported("dev.zeropool"));
    assertFalse(zeropool.isExported("dev.zeropool.internal"));
    assertFalse(zeropool.isOpen("dev.zeropool.internal"));

    Class<?> zeroPool = zeropool.getClassLoader().loadClass("dev.zeropool.ZeroPool");
    assertEquals(zeropool, zeroPool.getModule());
    ExecutorService pool = (ExecutorService) zeroPool.getMethod("create", int.class).invoke(null, 1);
    try {
      assertEquals("dev.zeropool", pool.getClass().getModule().getName());
      assertEquals(42, CompletableFuture.supplyAsync(() -> 42, pool).get(30, TimeUnit.SECONDS));
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void reflectionFromAnotherModuleCannotReachTheInternalPackage() throws Exception {
    Module zeropool = zeropoolModule(layerOf(Set.of("dev.zeropool"), MODULE_DIR));
    Class<?> internal = zeropool.getClassLoader().loadClass("dev.zeropool.internal.CpuAffinity");
    Method of = internal.getMethod("of", IntFunction.class);
    assertThrows(IllegalAccessException.class, () -> of.invoke(null, (IntFunction<?>) i -> null));
    assertFalse(of.trySetAccessible());
    assertNotEquals(getClass().getModule(), zeropool);
  }

  @Test
  void aModuleThatRequiresZeroPoolCompilesAgainstTheApiAndNotAgainstInternal(@TempDir Path tmp)
      throws Exception {
    Path app = tmp.resolve("app-src");
    write(app.resolve("module-info.java"), "module app { requires dev.zeropool; exports app; }");
    write(app.resolve("app/Main.java"), """
        package app;
        import dev.zeropool.TaskFn;
        import dev.zeropool.ZeroPool;
        public final class Main implements java.util.concurrent.Callable<Integer> {
          static final TaskFn<int[]> SQUARE = a -> a[1] = a[0] * a[0];
          public Integer call() {
            int[] p = {7, 0};
            try (ZeroPool pool = ZeroPool.create(1)) {
              pool.submitTask(SQUARE, p).join();
            }
            return p[1];
          }
        }
        """);
    Path appOut = tmp.resolve("app-classes");
    assertEquals("", compile(app, appOut), "the API module compiles");

    ModuleLayer layer = layerOf(Set.of("app"), MODULE_DIR, appOut);
    Class<?> main = layer.findLoader("app").loadClass("app.Main");
    assertEquals(49, ((Callable<?>) main.getConstructor().newInstance()).call());

    Path sneaky = tmp.resolve("sneaky-src");
    write(sneaky.resolve("module-info.java"), "module sneaky { requires dev.zeropool; }");
    write(sneaky.resolve("sneaky/Peek.java"), """
        package sneaky;
        public final class Peek {
          Object peek() { return dev.zeropool.internal.CpuAffinity.class; }
        }
        """);
    String errors = compile(sneaky, tmp.resolve("sneaky-classes"));
    assertTrue(errors.contains("package dev.zeropool.internal is not visible")
        || errors.contains("does not export dev.zeropool.internal"), errors);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Compiles the module in {@code src} on the module path {@link #MODULE_DIR}; returns javac's errors. */
  private static String compile(Path src, Path out) throws IOException {
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(),
        "--module-path", MODULE_DIR.toString()));
    try (Stream<Path> files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = ToolProvider.getSystemJavaCompiler()
        .run(null, errors, errors, args.toArray(String[]::new));
    return rc == 0 ? "" : errors.toString(StandardCharsets.UTF_8);
  }
}
