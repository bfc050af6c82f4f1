using System.Text;
using CretoAI.Fast.Crypto.Keys;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Crypto.Tests.Keys;

/// <summary>
/// Key file formats (docs/keys.md): round trips, every error the reader reports, and the
/// permission rules for private keys. Only MLDsa87's public API is used, so these run unchanged
/// against any implementation of it.
/// </summary>
public class KeyFileTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly byte[] Seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Public_key_file_round_trips_and_is_world_readable()
    {
        using var directory = new TemporaryDirectory();
        using var pair = KeyPair.FromSeed(Seed);
        var path = directory.File("a.pub");
        PublicKeyFile.Write(path, pair.PublicKey.Span, overwrite: false);

        Assert.Equal(pair.PublicKey.ToArray(), PublicKeyFile.Read(path));
        var lines = File.ReadAllLines(path);
        Assert.Equal("cretoai-fast-key v1", lines[0]);
        Assert.Contains("kind: ml-dsa-87-public-key", lines);
        Assert.Contains($"node-id: {pair.NodeId}", lines);
        Assert.Contains("data: " + Convert.ToHexStringLower(pair.PublicKey.Span), lines);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Private_key_file_round_trips_to_the_same_key_pair_and_is_mode_0600()
    {
        using var directory = new TemporaryDirectory();
        using var pair = KeyPair.FromSeed(Seed);
        var path = directory.File("a.key");
        pair.WritePrivateKeyFile(path, overwrite: false);

        using var loaded = KeyPair.Load(path);
        Assert.Equal(pair.NodeId, loaded.NodeId);
        Assert.Equal(pair.PublicKey.ToArray(), loaded.PublicKey.ToArray());
        var lines = File.ReadAllLines(path);
        Assert.Equal("cretoai-fast-key v1", lines[0]);
        Assert.Contains("kind: ml-dsa-87-private-seed", lines);
        Assert.Contains("data: " + Convert.ToHexStringLower(Seed), lines);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Any_seed_and_any_public_key_bytes_round_trip()
    {
        using var directory = new TemporaryDirectory();
        var privatePath = directory.File("p.key");
        var publicPath = directory.File("p.pub");
        Gen.Select(Gen.Byte.Array[MLDsa87.SeedSize], Gen.Byte.Array[MLDsa87.PublicKeySize]).Sample(
            (seed, publicKey) =>
            {
                PrivateKeyFile.Write(privatePath, seed, overwrite: true);
                using var expected = KeyPair.FromSeed(seed);
                using var loaded = KeyPair.Load(privatePath);
                Assert.Equal(expected.NodeId, loaded.NodeId);

                // A public key file stores bytes and their hash; it does not judge the key itself.
                PublicKeyFile.Write(publicPath, publicKey, overwrite: true);
                Assert.Equal(publicKey, PublicKeyFile.Read(publicPath));
            },
            iter: 25,
            threads: 1); // one file path shared by every iteration
    }

    [Fact]
    public void Static_private_write_derives_the_same_node_id()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("b.key");
        PrivateKeyFile.Write(path, Seed, overwrite: false);
        using var expected = KeyPair.FromSeed(Seed);
        using var loaded = PrivateKeyFile.Read(path);
        Assert.Equal(expected.NodeId, loaded.NodeId);
    }

    [Fact]
    public void Windows_line_endings_and_comment_lines_are_accepted()
    {
        using var directory = new TemporaryDirectory();
        using var pair = KeyPair.FromSeed(Seed);
        var path = directory.File("crlf.pub");
        pair.WritePublicKeyFile(path, overwrite: false);
        var text = "# copied from a Windows share\n" + File.ReadAllText(path).Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n# trailing note\r\n";
        File.WriteAllText(path, text);
        Assert.Equal(pair.PublicKey.ToArray(), PublicKeyFile.Read(path));
    }

    [Fact]
    public void Keys_derived_from_a_seed_match_the_fips_204_key_generation_vector()
    {
        using var document = TestVectors.OpenMLDsa87("keyGen.json.gz");
        var test = document.RootElement.GetProperty("testGroups")[0].GetProperty("tests")[0];
        using var pair = KeyPair.FromSeed(Convert.FromHexString(test.GetProperty("seed").GetString()!));
        Assert.Equal(Convert.FromHexString(test.GetProperty("pk").GetString()!), pair.PublicKey.ToArray());
        Assert.Equal(Sha3.Hash256(pair.PublicKey.Span), pair.NodeId);
    }

    [Fact]
    public void The_example_private_key_in_the_docs_loads_to_its_stated_node_id()
    {
        // ACVP keyGen test case 51 (../shared/testvectors/mldsa87), as docs/keys.md shows it.
        const string Example =
            "cretoai-fast-key v1\n" +
            "# ML-DSA-87 private key: the FIPS 204 seed xi. SECRET: keep this file mode 0600. Format: docs/keys.md\n" +
            "kind: ml-dsa-87-private-seed\n" +
            "node-id: 9df39232077a88b3b36c0d4b37d2d369f942baaaa436cf5486a1f09d45d7ce0b\n" +
            "data: a16f5b0796703e2d1a0140a35cbf36efabe70e752ba59b6a9a0e9c4b05302f73\n";
        Assert.Contains(Example, File.ReadAllText(Path.Combine(TestVectors.RepositoryRoot(), "docs", "keys.md")), StringComparison.Ordinal);

        using var directory = new TemporaryDirectory();
        var path = directory.File("example.key");
        WriteOwnerOnly(path, Example);
        using var pair = KeyPair.Load(path);
        Assert.Equal("9df39232077a88b3b36c0d4b37d2d369f942baaaa436cf5486a1f09d45d7ce0b", pair.NodeId.ToString());

        // And the writer produces exactly this text for that seed.
        var written = directory.File("rewritten.key");
        pair.WritePrivateKeyFile(written, overwrite: false);
        Assert.Equal(Example, File.ReadAllText(written));
    }

    [Fact]
    public void Missing_files_are_reported_by_name()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("absent.key");
        var error = Assert.Throws<KeyFileException>(() => KeyPair.Load(path));
        Assert.Equal(KeyFileError.Missing, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(KeyFileError.Missing, Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(directory.File("no/such/dir.pub"))).Error);
    }

    [Fact]
    public void A_directory_is_not_readable_as_a_key()
    {
        using var directory = new TemporaryDirectory();
        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(directory.Path));
        Assert.Equal(KeyFileError.Unreadable, error.Error);
        Assert.Contains(directory.Path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b110_100_000)] // 0640
    [InlineData(0b110_100_100)] // 0644
    [InlineData(0b110_000_100)] // 0604
    [InlineData(0b110_110_000)] // 0660
    [InlineData(0b110_000_010)] // 0602
    [InlineData(0b111_001_000)] // 0710
    public void Private_key_files_accessible_by_group_or_others_are_refused(int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var directory = new TemporaryDirectory();
        var path = directory.File("exposed.key");
        PrivateKeyFile.Write(path, Seed, overwrite: false);
        File.SetUnixFileMode(path, (UnixFileMode)mode);

        var error = Assert.Throws<KeyFileException>(() => KeyPair.Load(path));
        Assert.Equal(KeyFileError.InsecurePermissions, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("0" + Convert.ToString(mode, 8), error.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {path}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b100_000_000)] // 0400
    [InlineData(0b110_000_000)] // 0600
    [InlineData(0b111_000_000)] // 0700
    public void Private_key_files_only_the_owner_can_access_are_loaded(int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var directory = new TemporaryDirectory();
        var path = directory.File("owner.key");
        PrivateKeyFile.Write(path, Seed, overwrite: false);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        using var pair = KeyPair.Load(path);
        using var expected = KeyPair.FromSeed(Seed);
        Assert.Equal(expected.NodeId, pair.NodeId);
    }

    [Fact]
    public void An_existing_key_is_never_overwritten_without_asking()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("node.key");
        PrivateKeyFile.Write(path, Seed, overwrite: false);
        var before = File.ReadAllBytes(path);

        var other = new byte[32];
        var error = Assert.Throws<KeyFileException>(() => PrivateKeyFile.Write(path, other, overwrite: false));
        Assert.Equal(KeyFileError.AlreadyExists, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(KeyFileError.AlreadyExists, Assert.Throws<KeyFileException>(() => PublicKeyFile.Write(path, new byte[MLDsa87.PublicKeySize], overwrite: false)).Error);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Overwriting_replaces_the_file_atomically_with_mode_0600_even_over_a_world_readable_one()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("node.key");
        File.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        PrivateKeyFile.Write(path, Seed, overwrite: true);
        using var loaded = KeyPair.Load(path);
        using var expected = KeyPair.FromSeed(Seed);
        Assert.Equal(expected.NodeId, loaded.NodeId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(path));
        }

        // The temporary file was renamed into place, not left behind.
        Assert.Single(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Writing_into_a_missing_directory_is_a_clear_error()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("no/such/node.key");
        var error = Assert.Throws<KeyFileException>(() => PrivateKeyFile.Write(path, Seed, overwrite: false));
        Assert.Equal(KeyFileError.Missing, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_key_file_given_as_private_key_is_named_as_such()
    {
        using var directory = new TemporaryDirectory();
        using var pair = KeyPair.FromSeed(Seed);
        var path = directory.File("node.pub");
        pair.WritePublicKeyFile(path, overwrite: false);

        // Mode 0644 is normal for a .pub: the reader must say "wrong kind", not "bad permissions".
        var error = Assert.Throws<KeyFileException>(() => KeyPair.Load(path));
        Assert.Equal(KeyFileError.WrongKind, error.Error);
        Assert.Contains("public key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_key_file_given_as_public_key_is_named_as_such()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("node.key");
        PrivateKeyFile.Write(path, Seed, overwrite: false);
        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(path));
        Assert.Equal(KeyFileError.WrongKind, error.Error);
        Assert.Contains("private key", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, KeyFileError> DamagedPrivateFiles => new()
    {
        { "empty", string.Empty, KeyFileError.NotAKeyFile },
        { "only comments", "# nothing\n\n", KeyFileError.NotAKeyFile },
        { "pem", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n", KeyFileError.NotAKeyFile },
        { "newer version", "cretoai-fast-key v2\nkind: ml-dsa-87-private-seed\n", KeyFileError.UnsupportedVersion },
        { "bad version", "cretoai-fast-key vX\n", KeyFileError.BadFormat },
        { "version zero", "cretoai-fast-key v0\n", KeyFileError.BadFormat },
        { "unknown kind", "cretoai-fast-key v1\nkind: rsa-4096\nnode-id: {ID}\ndata: {SEED}\n", KeyFileError.WrongKind },
        { "missing kind", "cretoai-fast-key v1\nnode-id: {ID}\ndata: {SEED}\n", KeyFileError.BadFormat },
        { "missing node-id", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\ndata: {SEED}\n", KeyFileError.BadFormat },
        { "missing data", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\n", KeyFileError.BadFormat },
        { "repeated data", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: {SEED}\ndata: {SEED}\n", KeyFileError.BadFormat },
        { "unknown field", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: {SEED}\nowner: me\n", KeyFileError.BadFormat },
        { "no colon", "cretoai-fast-key v1\nkind ml-dsa-87-private-seed\n", KeyFileError.BadFormat },
        { "short seed", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: {SEED31}\n", KeyFileError.WrongLength },
        { "long seed", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: {SEED}00\n", KeyFileError.WrongLength },
        { "odd hex", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: {SEED}0\n", KeyFileError.BadEncoding },
        { "not hex", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: zz{SEED31}\n", KeyFileError.BadEncoding },
        { "base64 instead of hex", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n", KeyFileError.BadEncoding },
        { "short node-id", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: abcd\ndata: {SEED}\n", KeyFileError.BadEncoding },
        { "edited seed", "cretoai-fast-key v1\nkind: ml-dsa-87-private-seed\nnode-id: {ID}\ndata: ff{SEED31}\n", KeyFileError.NodeIdMismatch },
    };

    [Theory]
    [MemberData(nameof(DamagedPrivateFiles))]
    public void Damaged_private_key_files_give_a_specific_error_naming_the_file(string description, string template, KeyFileError expected)
    {
        using var directory = new TemporaryDirectory();
        using var pair = KeyPair.FromSeed(Seed);
        var path = directory.File("damaged.key");
        WriteOwnerOnly(path, Fill(template, pair));

        var error = Assert.Throws<KeyFileException>(() => KeyPair.Load(path));
        Assert.True(expected == error.Error, $"{description}: expected {expected}, got {error.Error}: {error.Message}");
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Newer_version_message_says_to_upgrade()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("v9.pub");
        File.WriteAllText(path, "cretoai-fast-key v9\nkind: ml-dsa-87-public-key\n");
        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(path));
        Assert.Equal(KeyFileError.UnsupportedVersion, error.Error);
        Assert.Contains("v9", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_key_whose_bytes_do_not_hash_to_its_node_id_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var pair = KeyPair.FromSeed(Seed);
        var path = directory.File("edited.pub");
        pair.WritePublicKeyFile(path, overwrite: false);
        var text = File.ReadAllText(path);
        var dataAt = text.IndexOf("data: ", StringComparison.Ordinal) + 6;
        var flipped = text[dataAt] == '0' ? '1' : '0';
        File.WriteAllText(path, text[..dataAt] + flipped + text[(dataAt + 1)..]);

        Assert.Equal(KeyFileError.NodeIdMismatch, Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(path)).Error);
    }

    [Fact]
    public void Public_key_of_the_wrong_length_is_refused()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("short.pub");
        File.WriteAllText(path, $"cretoai-fast-key v1\nkind: ml-dsa-87-public-key\nnode-id: {new string('0', 64)}\ndata: {new string('a', 2 * 100)}\n");
        var error = Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(path));
        Assert.Equal(KeyFileError.WrongLength, error.Error);
        Assert.Contains("100 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains(MLDsa87.PublicKeySize.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_files_are_refused_without_being_parsed()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("huge.pub");
        File.WriteAllBytes(path, new byte[1 << 20]);
        Assert.Equal(KeyFileError.BadFormat, Assert.Throws<KeyFileException>(() => PublicKeyFile.Read(path)).Error);
    }

    [Fact]
    public void Any_bytes_in_a_key_file_give_a_key_file_error_never_a_crash()
    {
        using var directory = new TemporaryDirectory();
        var privatePath = directory.File("fuzz.key");
        var publicPath = directory.File("fuzz.pub");
        using var pair = KeyPair.FromSeed(Seed);
        pair.WritePublicKeyFile(publicPath, overwrite: false);
        var valid = File.ReadAllBytes(publicPath);

        // Random bytes, and valid files with random damage (more likely to reach the deeper checks).
        var damaged = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Array[1, 4].Select(edits =>
        {
            var copy = (byte[])valid.Clone();
            foreach (var (at, value) in edits)
            {
                copy[at] = value;
            }

            return copy;
        });
        Gen.OneOf(Gen.Byte.Array[0, 300], damaged).Sample(
            bytes =>
            {
                File.WriteAllBytes(publicPath, bytes);
                WriteOwnerOnly(privatePath, bytes);
                AssertOnlyKeyFileErrors(() => PublicKeyFile.Read(publicPath));
                AssertOnlyKeyFileErrors(() => KeyPair.Load(privatePath).Dispose());
            },
            iter: 200,
            threads: 1); // one file path shared by every iteration
    }

    [Fact]
    public void Key_pair_signs_verifiably_and_deterministic_signatures_repeat()
    {
        using var pair = KeyPair.FromSeed(Seed);
        IMessageSigner signer = pair;
        var message = "state transition 42"u8.ToArray();
        var context = "cretoai/test"u8.ToArray();
        var signature = new byte[MLDsa87.SignatureSize];
        Assert.Equal(MLDsa87.SignatureSize, signer.Sign(message, context, signature));
        Assert.True(MLDsa87.Verify(pair.PublicKey.Span, message, context, signature));
        Assert.False(MLDsa87.Verify(pair.PublicKey.Span, message, "cretoai/other"u8, signature));

        var first = new byte[MLDsa87.SignatureSize];
        var second = new byte[MLDsa87.SignatureSize];
        pair.Sign(message, context, first, deterministic: true);
        pair.Sign(message, context, second, deterministic: true);
        Assert.Equal(first, second);
        Assert.True(MLDsa87.Verify(pair.PublicKey.Span, message, context, first));
    }

    [Fact]
    public void A_disposed_key_pair_no_longer_signs()
    {
        var pair = KeyPair.Generate();
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Sign([1], [], new byte[MLDsa87.SignatureSize]));
    }

    [Fact]
    public void Generated_key_pairs_differ()
    {
        using var a = KeyPair.Generate();
        using var b = KeyPair.Generate();
        Assert.NotEqual(a.NodeId, b.NodeId);
    }

    private static void AssertOnlyKeyFileErrors(Action read)
    {
        try
        {
            read();
        }
        catch (KeyFileException)
        {
            // Expected: a specific, reported error.
        }
    }

    private static string Fill(string template, KeyPair pair)
    {
        var seedHex = Convert.ToHexStringLower(Seed);
        return template
            .Replace("{ID}", pair.NodeId.ToString(), StringComparison.Ordinal)
            .Replace("{SEED31}", seedHex[2..], StringComparison.Ordinal)
            .Replace("{SEED}", seedHex, StringComparison.Ordinal);
    }

    private static void WriteOwnerOnly(string path, string text) => WriteOwnerOnly(path, Encoding.ASCII.GetBytes(text));

    private static void WriteOwnerOnly(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode0600;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }
}
