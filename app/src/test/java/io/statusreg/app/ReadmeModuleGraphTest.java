package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README's module graph is the graph of the poms: compile-scope dependencies on our modules.
 */
class ReadmeModuleGraphTest {
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

  @Test
  void theReadmesModuleGraphMatchesThePoms() throws Exception {
    assertThat(fromReadme()).isEqualTo(fromPoms());
  }

  @Test
  void theGraphHasNoCycle() throws Exception {
    Map<String, List<String>> graph = fromPoms();
    for (String module : graph.keySet()) {
      assertThat(reaches(graph, module, module, new TreeSet<>())).as(module).isFalse();
    }
  }

  private static boolean reaches(
      Map<String, List<String>> g, String from, String target, TreeSet<String> seen) {
    for (String dep : g.getOrDefault(from, List.of())) {
      String d = dep.replace(" (test-jar)", "");
      if (d.equals(target)) {
        return true;
      }
      if (seen.add(d) && reaches(g, d, target, seen)) {
        return true;
      }
    }
    return false;
  }

  static Map<String, List<String>> fromReadme() throws Exception {
    String readme = Files.readString(CHECKOUT.resolve("README.md"));
    Matcher m =
        Pattern.compile(
                "<!-- module-graph: begin -->(.*?)<!-- module-graph: end -->", Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find()).as("the README's module graph block").isTrue();
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : m.group(1).strip().split("\n")) {
      String l = line.strip();
      int colon = l.indexOf(':');
      assertThat(colon).as("'module: deps' in %s", l).isPositive();
      String deps = l.substring(colon + 1).strip();
      out.put(l.substring(0, colon), deps.isEmpty() ? List.of() : List.of(deps.split(", ")));
    }
    return out;
  }

  static Map<String, List<String>> fromPoms() throws Exception {
    Document parent = parse(CHECKOUT.resolve("pom.xml"));
    Map<String, List<String>> out = new LinkedHashMap<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().strip();
      Document pom = parse(CHECKOUT.resolve(module).resolve("pom.xml"));
      TreeSet<String> deps = new TreeSet<>();
      Element project = pom.getDocumentElement();
      for (Element dependencies : children(project, "dependencies")) {
        for (Element d : children(dependencies, "dependency")) {
          if (!"io.statusreg".equals(text(d, "groupId")) || "test".equals(text(d, "scope"))) {
            continue;
          }
          String name = text(d, "artifactId").replaceFirst("^statusreg-", "");
          deps.add("test-jar".equals(text(d, "type")) ? name + " (test-jar)" : name);
        }
      }
      out.put(module, new ArrayList<>(deps));
    }
    assertThat(out).as("the parent's modules").hasSizeGreaterThan(5);
    return out;
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.getFirst().getTextContent().strip();
  }
}
