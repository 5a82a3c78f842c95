package io.github.researchcycle.core.render;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;

/**
 * Renders the Velocity templates of research-templates. A research repository overrides any of
 * them with a file of the same relative name under {@code writeup/templates/}.
 */
public final class Templates {
  /** Where the bundled templates live on the classpath. */
  public static final String BASE = "io/github/researchcycle/templates/";

  private final VelocityEngine engine;
  private final Path overrides;

  /** Templates with overrides from {@code overrides} (which need not exist). */
  public Templates(Path overrides) {
    this.overrides = overrides;
    Properties p = new Properties();
    p.setProperty(RuntimeConstants.RESOURCE_LOADERS, "file,classpath");
    p.setProperty("resource.loader.file.class", "org.apache.velocity.runtime.resource.loader.FileResourceLoader");
    p.setProperty("resource.loader.file.path", overrides == null ? "" : overrides.toAbsolutePath().toString());
    p.setProperty("resource.loader.classpath.class", PrefixedClasspathLoader.class.getName());
    p.setProperty(RuntimeConstants.INPUT_ENCODING, "UTF-8");
    p.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
    p.setProperty(RuntimeConstants.SPACE_GOBBLING, "lines");
    this.engine = new VelocityEngine(p);
    this.engine.init();
  }

  /** Renders template {@code name} (for example {@code launch/local.sh.vm}) with the given values. */
  public String render(String name, Map<String, ?> values) {
    boolean overridden = overrides != null && Files.isRegularFile(overrides.resolve(name));
    try {
      Template t = engine.getTemplate(name, "UTF-8");
      StringWriter out = new StringWriter();
      t.merge(context(values), out);
      return out.toString();
    } catch (VelocityException e) {
      String where = overridden ? "writeup/templates/" + name : "template " + name;
      throw new ResearchException(where + ": " + e.getMessage() + ". Fix the template, or remove the override.", e);
    }
  }

  /**
   * Renders a template file of the research repository itself (for example
   * {@code writeup/post.md.vm}); it may {@code #parse} the bundled templates by name.
   */
  public String renderFile(Path file, String displayName, Map<String, ?> values) {
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringWriter out = new StringWriter();
      engine.evaluate(context(values), out, displayName, reader);
      return out.toString();
    } catch (IOException e) {
      throw new ResearchException(displayName + ": cannot be read (" + e.getMessage() + ").", e);
    } catch (VelocityException e) {
      throw new ResearchException(displayName + ": " + e.getMessage() + ". Fix the template.", e);
    }
  }

  private static VelocityContext context(Map<String, ?> values) {
    VelocityContext context = new VelocityContext();
    values.forEach(context::put);
    context.put("sh", new Shell());
    context.put("esc", new Escapes());
    return context;
  }
}
