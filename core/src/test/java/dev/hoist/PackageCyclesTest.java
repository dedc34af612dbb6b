package dev.hoist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core's packages form no dependency cycle, apart from the two listed in {@link #KNOWN}.
 *
 * <p>A package depends on another when its main sources name a type of it, in an import or written
 * out in code (comments are not dependencies). An {@code internal} package counts as part of the
 * package it sits in: it is that package's implementation.
 */
class PackageCyclesTest {

  private static final Path SOURCES = Path.of("src", "main", "java");

  /**
   * Cycles that exist and are not this check's to break: the set found must equal this one, so a
   * new cycle fails, and so does a broken one still listed (remove it here).
   *
   * <ul>
   *   <li>{@code digest ↔ errors}: {@code DigestMismatchException} carries {@code Digest}s, and
   *       {@code Digest} throws {@code InvalidArgumentException};
   *   <li>{@code content ↔ gc ↔ images}: {@code InMemoryContentStore} is a {@code gc} {@code
   *       CollectionLock}, while gc walks stores and images.
   * </ul>
   */
  private static final Set<Set<String>> KNOWN =
      Set.of(
          Set.of("dev.hoist.digest", "dev.hoist.errors"),
          Set.of("dev.hoist.content", "dev.hoist.gc", "dev.hoist.images"));

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
  private static final Pattern TYPE_REF =
      Pattern.compile("\\b(dev\\.hoist(?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");

  @Test
  void corePackagesFormNoCycleButTheKnownOnes() throws IOException {
    Map<String, Set<String>> graph = dependencies(SOURCES);

    assertThat(graph).as("packages found under " + SOURCES.toAbsolutePath()).hasSizeGreaterThan(5);
    assertThat(cycles(graph)).isEqualTo(KNOWN);
  }

  @Test
  void theCheckFindsACycleThroughAnInternalPackage() {
    Map<String, Set<String>> graph = new TreeMap<>();
    graph.put("dev.hoist.a", Set.of("dev.hoist.b"));
    graph.put("dev.hoist.b", Set.of("dev.hoist.c"));
    graph.put("dev.hoist.c", Set.of("dev.hoist.a", "dev.hoist.d"));
    graph.put("dev.hoist.d", Set.of());

    assertThat(cycles(graph)).containsExactly(Set.of("dev.hoist.a", "dev.hoist.b", "dev.hoist.c"));
    assertThat(owner("dev.hoist.client.internal")).isEqualTo("dev.hoist.client");
    assertThat(owner("dev.hoist.remotes.docker.internal.http1"))
        .isEqualTo("dev.hoist.remotes.docker");
  }

  @Test
  void typesNamedInCommentsAreNotDependencies() {
    String source =
        "package dev.hoist.a;\n"
            + "import dev.hoist.b.B;\n"
            + "/** See {@link dev.hoist.c.C}. */\n"
            + "class A { // dev.hoist.d.D\n"
            + "  dev.hoist.e.internal.E e;\n"
            + "}\n";

    assertThat(referencedPackages(source)).containsExactlyInAnyOrder("dev.hoist.b", "dev.hoist.e");
  }

  /** The package of a file, an {@code internal} package folded into its parent. */
  static String owner(String pkg) {
    return pkg.replaceFirst("\\.internal(\\..*)?$", "");
  }

  static Set<String> referencedPackages(String source) {
    String code = COMMENT.matcher(source).replaceAll(" ");
    Set<String> refs = new TreeSet<>();
    Matcher m = TYPE_REF.matcher(code);
    while (m.find()) {
      refs.add(owner(m.group(1)));
    }
    return refs;
  }

  static Map<String, Set<String>> dependencies(Path root) throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
    }
    for (Path file : files) {
      String source;
      try {
        source = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher pkg = PACKAGE.matcher(source);
      if (!pkg.find()) {
        continue;
      }
      String from = owner(pkg.group(1));
      Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
      for (String ref : referencedPackages(source)) {
        if (!ref.equals(from)) {
          to.add(ref);
        }
      }
    }
    return graph;
  }

  /** The strongly connected components of more than one package (Tarjan). */
  static Set<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    Set<Set<String>> found = new HashSet<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, found);
      }
    }
    return found;
  }

  private static void connect(
      String v,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      Set<Set<String>> found) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, found);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        found.add(Set.copyOf(component));
      }
    }
  }
}
