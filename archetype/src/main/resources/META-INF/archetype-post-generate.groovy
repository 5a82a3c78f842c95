// After generation: keep only what the chosen data set uses. Velocity renders every file of the
// archetype; this removes, inside the new project folder only, the manifests of the other data sets
// and the generator of the synthetic one when another data set was chosen.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

Path project = Paths.get(request.outputDirectory, request.artifactId)
String dataset = request.properties.getProperty('dataset')
String manifest = dataset == 'csv' ? 'digits.yaml' : dataset + '.yaml'

Files.list(project.resolve('data')).withCloseable { files ->
    files.filter { !it.fileName.toString().equals(manifest) }.toList().each { Files.delete(it) }
}
if (dataset != 'synthetic') {
    Path sources = project.resolve('src/main/java').resolve(request.getPackage().replace('.', '/'))
    Files.delete(sources.resolve('SyntheticData.java'))
}
