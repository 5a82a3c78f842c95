package io.github.researchcycle.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Lists the plugin's goals; with {@code -Ddetail}, every parameter with its default and its
 * {@code research.} property. Help is what was asked for, so it goes to standard output and prints
 * under {@code mvn -q} too (the help goal that maven-plugin-plugin generates logs it at info level,
 * which {@code -q} silences).
 *
 * @since 0.1.0
 */
@Mojo(name = "help", requiresProject = false, threadSafe = true)
public class HelpMojo extends AbstractMojo {
  /** The descriptor that maven-plugin-plugin writes for help: plain-text descriptions. */
  static final String PLUGIN_HELP = "/META-INF/maven/io.github.researchcycle/research-maven-plugin/plugin-help.xml";

  /**
   * Whether to show every parameter of each goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "detail", defaultValue = "false")
  private boolean detail;

  /**
   * The goal to show (without the prefix, for example {@code run}); all goals when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "goal")
  private String goal;

  /**
   * The longest line, in characters.
   *
   * @since 0.1.0
   */
  @Parameter(property = "lineLength", defaultValue = "100")
  private int lineLength;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Document descriptor;
    try (InputStream in = HelpMojo.class.getResourceAsStream(PLUGIN_HELP)) {
      if (in == null) {
        throw new MojoExecutionException("the plugin's help descriptor " + PLUGIN_HELP + " is missing from its jar");
      }
      descriptor = parse(in);
    } catch (IOException | SAXException | ParserConfigurationException e) {
      throw new MojoExecutionException("cannot read the plugin's help descriptor: " + e.getMessage(), e);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.print(render(descriptor, goal, detail, lineLength));
    out.flush();
  }

  /** Parses the help descriptor, refusing DOCTYPEs (it never has one). */
  static Document parse(InputStream in) throws IOException, SAXException, ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(in);
  }

  /**
   * The help text: the plugin, then each goal (or only {@code goal}) with its description and, with
   * {@code detail}, its parameters. An unknown goal is refused with the known ones.
   */
  static String render(Document descriptor, String goal, boolean detail, int lineLength) throws MojoFailureException {
    int width = lineLength > 20 ? lineLength : 100;
    Element plugin = descriptor.getDocumentElement();
    String prefix = text(plugin, "goalPrefix");
    List<Element> mojos = children(child(plugin, "mojos"), "mojo");
    List<String> goals = mojos.stream().map(m -> text(m, "goal")).toList();
    String wanted = goal == null || goal.isBlank() ? null : goal.strip().replaceFirst("^" + prefix + ":", "");
    if (wanted != null && !goals.contains(wanted)) {
      throw new MojoFailureException("-Dgoal: no goal `" + wanted + "` in this plugin. Goals: "
          + String.join(", ", goals) + ".");
    }
    StringBuilder b = new StringBuilder();
    line(b, text(plugin, "name") + " " + text(plugin, "version") + " (" + text(plugin, "groupId") + ":"
        + text(plugin, "artifactId") + ", prefix " + prefix + ")", 0, width);
    line(b, text(plugin, "description"), 1, width);
    b.append('\n');
    if (wanted == null) {
      line(b, "This plugin has " + mojos.size() + " goals" + (detail ? "" : " (-Ddetail shows their parameters, "
          + "-Dgoal=NAME one goal)") + ":", 0, width);
      b.append('\n');
    }
    for (Element mojo : mojos) {
      if (wanted != null && !wanted.equals(text(mojo, "goal"))) {
        continue;
      }
      line(b, prefix + ":" + text(mojo, "goal"), 0, width);
      line(b, text(mojo, "description"), 1, width);
      b.append('\n');
      if (detail || wanted != null) {
        parameters(b, mojo, width);
      }
    }
    return b.toString();
  }

  private static void parameters(StringBuilder b, Element mojo, int width) {
    Element configuration = child(mojo, "configuration");
    List<Element> shown = new ArrayList<>();
    for (Element p : children(child(mojo, "parameters"), "parameter")) {
      if (!"false".equals(text(p, "editable"))) {
        shown.add(p);
      }
    }
    if (shown.isEmpty()) {
      return;
    }
    line(b, "Available parameters:", 1, width);
    b.append('\n');
    for (Element p : shown) {
      String name = text(p, "name");
      Element config = child(configuration, name);
      String property = config == null ? "" : config.getTextContent().strip();
      String defaultValue = config == null ? "" : config.getAttribute("default-value");
      line(b, name + (defaultValue.isEmpty() ? "" : " (Default: " + defaultValue + ")"), 2, width);
      line(b, text(p, "description"), 3, width);
      if ("true".equals(text(p, "required"))) {
        line(b, "Required: Yes", 3, width);
      }
      if (property.startsWith("${") && property.endsWith("}")) {
        line(b, "User property: " + property.substring(2, property.length() - 1), 3, width);
      }
      b.append('\n');
    }
  }

  /** Appends {@code text} wrapped at {@code width}, indented by {@code level} steps of two blanks. */
  static void line(StringBuilder b, String text, int level, int width) {
    if (text.isBlank()) {
      return;
    }
    String indent = "  ".repeat(level);
    StringBuilder current = new StringBuilder(indent);
    for (String word : text.strip().split("\\s+")) {
      if (current.length() > indent.length() && current.length() + 1 + word.length() > width) {
        b.append(current).append('\n');
        current = new StringBuilder(indent);
      }
      if (current.length() > indent.length()) {
        current.append(' ');
      }
      current.append(word);
    }
    b.append(current).append('\n');
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? "" : e.getTextContent().strip();
  }

  private static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent != null) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) {
          out.add(e);
        }
      }
    }
    return out;
  }
}
