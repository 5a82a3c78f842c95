package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {
  // Token shapes are assembled at run time so that this source file does not look like a leak itself.
  static final String AWS_ID = "AKIA" + "Q3EGRIJ7ZXPLMN2B";
  static final String AWS_TEMP_ID = "ASIA" + "Y5KD2W9ZQ0HTRB6C";
  static final String GITHUB = "ghp" + "_" + "a".repeat(12) + "B7c9D1e3F5g7H9i1J3k5L7m9N1";
  static final String GITHUB_PAT = "github" + "_pat_" + "11ABCDEFG0123456789012_" + "x".repeat(59);
  static final String SLACK = "xox" + "b-123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx";
  static final String GOOGLE = "AI" + "za" + "SyD-abcdefghijklmnopqrstuvwx_123456";

  @TempDir Path dir;

  static String privateKey(String kind) {
    byte[] body = new byte[600];
    new Random(7).nextBytes(body);
    return "-----BEGIN " + kind + "PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(body)
        + "\n-----END " + kind + "PRIVATE KEY-----\n";
  }

  private List<String> scanOf(String path, String content) throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, path, content);
      commitAll(git, "start");
      return SecretScan.find(dir);
    }
  }

  private static boolean hit(List<String> hits, String path) {
    return hits.stream().anyMatch(h -> h.startsWith(path + " ("));
  }

  /** The rule ids of the findings in {@code path}, in order. */
  static List<String> rules(List<String> hits, String path) {
    return hits.stream().filter(h -> h.startsWith(path + " (")).map(h -> h.replaceAll(".*; rule ([a-z0-9-]+); .*", "$1"))
        .toList();
  }

  @Test
  void secretFileNamesAreFound() throws Exception {
    List<String> secret = List.of(".env", "config/.env.production", "certs/server.pem", "tls.key", "id_rsa",
        "keys/id_ed25519", "id_dsa", "id_ecdsa", "store.p12", "cert.pfx", "app.keystore", "trust.jks",
        "credentials.json", "service-account-prod.json", ".netrc", ".pgpass");
    List<String> fine = List.of(".env.example", ".env.sample", "id_rsa.pub", "keys/id_ed25519.pub", "README.md",
        "environment.yaml", "monkey.txt", "keymap.json", "src/Env.java");
    try (Git git = init(dir)) {
      for (String f : secret) {
        write(dir, f, "x\n");
      }
      for (String f : fine) {
        write(dir, f, "x\n");
      }
      commitAll(git, "start");
      List<String> hits = SecretScan.find(dir);
      for (String f : secret) {
        assertTrue(hit(hits, f), f + " should be found in " + hits);
      }
      for (String f : fine) {
        assertFalse(hit(hits, f), f + " should not be found in " + hits);
      }
      assertEquals(secret.size(), hits.size(), hits.toString());
      assertEquals(hits.stream().sorted().toList(), hits, "sorted by path");
      assertEquals(".env (environment file, usually holds secrets; rule env-file; fingerprint "
          + SecretFinding.fingerprint(".env") + ")", hits.get(0));
    }
  }

  @Test
  void registryAndCloudConfigsOnlyWithCredentials() throws Exception {
    try (Git git = init(dir)) {
      write(dir, ".npmrc", "//npm.example.invalid/:_authToken=npm-secret-value-123456\n");
      write(dir, "web/.npmrc", "//npm.example.invalid/:_authToken=${NPM_TOKEN}\nsave-exact=true\n");
      write(dir, ".pypirc", "[pypi]\nusername = __token__\npassword = pypi-secret-value\n");
      write(dir, "py/.pypirc", "[distutils]\nindex-servers = pypi\n");
      write(dir, ".aws/credentials", "[default]\nregion = eu-west-1\n");
      write(dir, "ops/credentials", "[default]\naws_secret_access_key = " + "w".repeat(40) + "\n");
      write(dir, "docs/credentials", "Ask the admin for credentials.\n");
      commitAll(git, "start");
      List<String> hits = SecretScan.find(dir);
      assertEquals(List.of("npmrc-auth"), rules(hits, ".npmrc"), hits.toString());
      assertFalse(hit(hits, "web/.npmrc"), "an environment reference is not a secret: " + hits);
      assertEquals(List.of("pypirc-password"), rules(hits, ".pypirc"), hits.toString());
      assertFalse(hit(hits, "py/.pypirc"), hits.toString());
      assertEquals(List.of("aws-credentials-file"), rules(hits, ".aws/credentials"), hits.toString());
      assertEquals(List.of("aws-secret-access-key"), rules(hits, "ops/credentials"), hits.toString());
      assertFalse(hit(hits, "docs/credentials"), hits.toString());
    }
  }

  @Test
  void privateKeyBlocks() throws Exception {
    for (String kind : List.of("", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED ")) {
      List<String> hits = scanOf("notes/key.txt", "some notes\n" + privateKey(kind));
      assertEquals(1, hits.size(), hits.toString());
      assertTrue(hits.get(0).startsWith("notes/key.txt (line 2: private key block, "), hits.toString());
      assertEquals(List.of("private-key"), rules(hits, "notes/key.txt"), kind);
    }
  }

  @Test
  void tokenShapesInContent() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "aws.py", "KEY = '" + AWS_ID + "'\n");
      write(dir, "aws_temp.sh", "export AWS_ACCESS_KEY_ID=" + AWS_TEMP_ID + "\n");
      write(dir, "gh.txt", "token: " + GITHUB + "\n");
      for (String p : List.of("gho", "ghu", "ghs", "ghr")) {
        write(dir, p + ".txt", p + "_" + "Z".repeat(36) + "\n");
      }
      write(dir, "pat.yaml", "pat: " + GITHUB_PAT + "\n");
      write(dir, "slack.json", "{\"token\": \"" + SLACK + "\"}\n");
      write(dir, "maps.js", "const key = \"" + GOOGLE + "\";\n");
      write(dir, "sa.json", "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key_id\": \"abc\","
          + "\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n\"\n}\n");
      commitAll(git, "start");
      List<String> hits = SecretScan.find(dir);
      assertEquals(List.of("aws-access-key-id"), rules(hits, "aws.py"), hits.toString());
      assertEquals(List.of("aws-access-key-id"), rules(hits, "aws_temp.sh"), hits.toString());
      assertEquals(List.of("github-classic-pat"), rules(hits, "gh.txt"), hits.toString());
      assertEquals(List.of("github-oauth-token"), rules(hits, "gho.txt"), hits.toString());
      assertEquals(List.of("github-app-token"), rules(hits, "ghu.txt"), hits.toString());
      assertEquals(List.of("github-app-token"), rules(hits, "ghs.txt"), hits.toString());
      assertEquals(List.of("github-refresh-token"), rules(hits, "ghr.txt"), hits.toString());
      assertEquals(List.of("github-fine-grained-pat"), rules(hits, "pat.yaml"), hits.toString());
      assertEquals(List.of("slack-token"), rules(hits, "slack.json"), hits.toString());
      assertEquals(List.of("gcp-api-key"), rules(hits, "maps.js"), hits.toString());
      assertEquals(List.of("gcp-service-account-key"), rules(hits, "sa.json"), hits.toString());
      assertEquals(11, hits.size(), hits.toString());
      assertTrue(hits.contains("aws.py (line 1: AWS access key id, AKIA…[20 chars]; rule aws-access-key-id; fingerprint "
          + SecretFinding.fingerprint(AWS_ID) + ")"), hits.toString());
      assertTrue(hits.stream().noneMatch(h -> h.contains(AWS_ID) || h.contains(GITHUB) || h.contains(SLACK)),
          "never the secret itself: " + hits);
    }
  }

  @Test
  void proseAndLookAlikesAreNotSecrets() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "README.md", "# Keys\nAWS access key ids start with AKIA, followed by 16 characters; AWS's documentation "
          + "uses AKIAIOSFODNN7EXAMPLE. GitHub tokens start with ghp_ and Slack bot tokens with xoxb-your-token-here. "
          + "A PEM private key starts with -----BEGIN RSA " + "PRIVATE KEY----- and the key follows.\n"
          + "AKIA" + "Q3EGRIJ7ZXPLMN2BEXTRA is too long to be a key id; so is AIzaShort.\n");
      write(dir, "id_rsa.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1 user@host\n");
      write(dir, "public.txt", "-----BEGIN PUBLIC KEY-----\n"
          + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----\n");
      write(dir, "config.json", "{\"type\": \"service_account\", \"client_email\": \"a@b.c\"}\n");
      write(dir, ".env.example", "API_KEY=\n");
      commitAll(git, "start");
      assertEquals(List.of(), SecretScan.find(dir));
    }
  }

  @Test
  void onlyTrackedFilesCount() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, ".gitignore", ".env\n");
      commitAll(git, "start");
      write(dir, ".env", "TOKEN=" + GITHUB + "\n");
      write(dir, "scratch/id_rsa", privateKey("RSA "));
      assertEquals(List.of(), SecretScan.find(dir), "an ignored .env and an untracked key are not in the bundle");
    }
  }

  @Test
  void untrackedFilesAreNotFoundButStagedOnesAre() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      write(dir, "id_rsa", privateKey("RSA "));
      assertEquals(List.of(), SecretScan.find(dir), "untracked");
      git.add().addFilepattern("id_rsa").call();
      assertEquals(List.of("ssh-private-key-file", "private-key"), rules(SecretScan.find(dir), "id_rsa"), "staged");
    }
  }

  @Test
  void theBundleRefusalNamesEachFileOnceAndTheAllowList() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "id_rsa", privateKey("RSA "));
      commitAll(git, "start");
      List<String> hits = SecretScan.find(dir);
      assertEquals(2, hits.size(), hits.toString());
      String message = Bundle.secretMessage(hits);
      assertTrue(message.contains("(git rm --cached id_rsa)"), message);
      assertTrue(message.contains(SecretAllowList.FILE + " with its path, rule, fingerprint"), message);
      assertEquals(hits.size() + 2, message.lines().count(), "one line per finding: " + message);
    }
  }

  @Test
  void contentIsReadFromGitNotTheWorkingTree() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "config.py", "KEY = '" + AWS_ID + "'\n");
      RevCommit leaked = commitAll(git, "start");
      write(dir, "config.py", "KEY = os.environ['KEY']\n");
      assertEquals(List.of("aws-access-key-id"), rules(SecretScan.find(dir), "config.py"), "HEAD still holds the key");
      assertEquals(1, SecretScan.find(dir).size());
      RevCommit fixed = commitAll(git, "read the key from the environment");
      assertEquals(List.of(), SecretScan.find(dir));
      assertEquals(List.of(), SecretScan.find(dir, fixed.name()));
      assertEquals(List.of("aws-access-key-id"), rules(SecretScan.find(dir, leaked.name()), "config.py"));
    }
  }

  @Test
  void plantedEnvInASubfolderResearchRepository() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "other/.env", "SECRET=1\n");
      write(dir, "study/research.yaml", "title: t\n");
      write(dir, "study/config/.env", "SECRET=2\n");
      write(dir, "study/src/Train.java", "class Train {}\n");
      commitAll(git, "start");
      Path study = dir.resolve("study");
      assertEquals(List.of("env-file"), rules(SecretScan.find(study), "config/.env"));
      assertEquals(1, SecretScan.find(study).size());
      assertEquals(SecretScan.find(study), SecretScan.find(study, "HEAD"));
      assertEquals(2, SecretScan.find(dir).size(), "the whole repository has both");
    }
  }

  @Test
  void metricsRunRecordsLargeAndBinaryFilesAreReadToo() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "runs/20261127-025120-123-k3f9x2ab/metrics.jsonl", "{\"step\":1,\"name\":\"loss\",\"value\":0.5}\n"
          + "{\"name\":\"" + AWS_ID + "\"}\n");
      write(dir, "runs/20261127-025120-123-k3f9x2ab/run.json", "{\n  \"note\": \"" + AWS_ID + "\"\n}\n");
      write(dir, "big.txt", "x".repeat(1 << 20) + "\n" + AWS_ID + "\n");
      Files.write(dir.resolve("blob.bin"), ("\0\0\0" + AWS_ID).getBytes(StandardCharsets.US_ASCII));
      commitAll(git, "start");
      List<String> hits = SecretScan.find(dir);
      assertEquals(List.of("big.txt (line 2", "blob.bin (line 1", "runs/20261127-025120-123-k3f9x2ab/metrics.jsonl (line 2",
          "runs/20261127-025120-123-k3f9x2ab/run.json (line 2"),
          hits.stream().map(h -> h.substring(0, h.indexOf(':'))).toList(), hits.toString());
    }
  }
}
