package io.github.researchcycle.core.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

/** Looks for classes on a classpath without loading them. */
public final class Classpaths {
  private Classpaths() {}

  /** Whether {@code className} is a class file in one of the classpath's folders or jars. */
  public static boolean contains(List<Path> classpath, String className) {
    String entry = className.replace('.', '/') + ".class";
    for (Path element : classpath) {
      if (Files.isDirectory(element)) {
        if (Files.isRegularFile(element.resolve(entry))) {
          return true;
        }
      } else if (Files.isRegularFile(element) && element.toString().endsWith(".jar")) {
        try (ZipFile jar = new ZipFile(element.toFile())) {
          if (jar.getEntry(entry) != null) {
            return true;
          }
        } catch (IOException e) {
          // An unreadable jar cannot hold the class.
        }
      }
    }
    return false;
  }
}
