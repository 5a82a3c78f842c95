package io.github.researchcycle.core.render;

import java.io.Reader;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/** Loads templates from research-templates' package, so that names read "writeup/post.md.vm". */
public final class PrefixedClasspathLoader extends ClasspathResourceLoader {
  @Override
  public Reader getResourceReader(String name, String encoding) throws ResourceNotFoundException {
    return super.getResourceReader(Templates.BASE + name, encoding);
  }
}
