using System.Text;
using System.Text.Json;
using CsCheck;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

/// <summary>
/// The SPDX 2 JSON reader reads packages straight from the document's UTF-8, the tag-value reader through
/// <c>SpdxPackage</c>; both must apply the same rules. The same random packages, written both ways, read the same.
/// </summary>
public sealed class SpdxFormatsAgreeTests
{
    private static readonly Gen<string?> Absent = Gen.Int[0, 0].Select(_ => (string?)null);

    private static readonly Gen<string> Word = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-."].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<string?> NoValue = Any<string?>("NOASSERTION", "NONE", "noassertion", "None");

    private static readonly Gen<string?> Version = Gen.OneOf(Absent, NoValue, Word.Select(w => (string?)("1." + w)));

    private static readonly Gen<string?> Supplier = Gen.OneOf(
        Absent,
        NoValue,
        Word.Select(w => (string?)("Organization: " + w)),
        Gen.Select(Word, Word, (name, mail) => (string?)$"Person: {name} ({mail}@example.org)"),
        Word.Select(w => (string?)("Tool: " + w)),
        Word.Select(w => (string?)w));

    private static readonly Gen<string?> Location = Gen.OneOf(
        Absent,
        NoValue,
        Gen.Select(Word, Word, (owner, repo) => (string?)$"git+https://github.com/{owner}/{repo}.git"),
        Word.Select(w => (string?)$"https://gitlab.com/group/{w}"),
        Word.Select(w => (string?)$"https://{w}.github.com/archive.tgz"),
        Word.Select(w => (string?)$"svn+https://svn.example.org/{w}"),
        Word.Select(w => (string?)$"https://downloads.example.org/{w}.tgz"),
        Word.Select(w => (string?)$"https://notgithub.com/{w}"));

    private static readonly Gen<string?> Purpose = Any<string?>(null, "LIBRARY", "APPLICATION", "OPERATING-SYSTEM", "OPERATING_SYSTEM", "library", "FRAMEWORK", "bogus");

    private static readonly Gen<string?> License = Gen.OneOf(NoValue, Any<string?>(null, "MIT", "Apache-2.0", "MIT OR Apache-2.0", "(MIT AND BSD-3-Clause)"));

    private static readonly Gen<Checksum> Checksums = Gen.Select(
        Any("SHA1", "SHA256", "sha256", "SHA3-256", "SHA3_256", "MD5", "BLAKE2b-256", "ADLER32"),
        Gen.OneOf(Gen.Byte.Array[1, 64].Select(Convert.ToHexStringLower), Gen.Byte.Array[1, 64].Select(Convert.ToHexString), Word),
        (algorithm, value) => new Checksum(algorithm, value));

    private static readonly Gen<Reference> References = Gen.Select(
        Any("PACKAGE-MANAGER", "PACKAGE_MANAGER", "packageManager", "package-manager", "SECURITY", "OTHER"),
        Any("purl", "PURL", "cpe23Type", "npm"),
        Gen.OneOf(Word.Select(w => $"pkg:npm/{w}@1.0.0"), Word.Select(w => $"pkg:maven/org.example/{w}@2.0"), Word.Select(w => $"cpe:2.3:a:{w}:{w}:1:*:*:*:*:*:*:*")),
        Gen.Int[0, 5],
        (category, type, locator, order) => new Reference(category, type, locator, order));

    private static readonly Gen<Package> Packages =
        from name in Word
        from version in Version
        from supplier in Supplier
        from download in Location
        from homepage in Location
        from purpose in Purpose
        from concluded in License
        from declared in License
        from checksums in Checksums.Array[0, 3]
        from references in References.Array[0, 4]
        select new Package(name, version, supplier, download, homepage, purpose, concluded, declared, checksums, references);

    [Fact]
    public void Packages_written_as_JSON_and_as_tag_value_read_the_same()
    {
        Packages.Array[1, 8].Sample(packages =>
        {
            var json = SbomReader.Read(new MemoryStream(Json(packages)));
            var tagValue = SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(TagValue(packages))));

            Assert.Equal((SbomFormat.SpdxJson, SbomFormat.SpdxTagValue), (json.Format, tagValue.Format));
            Assert.Equal(packages.Length, json.Components.Count);
            Assert.Equal(packages.Length, tagValue.Components.Count);
            for (var i = 0; i < packages.Length; i++)
            {
                var (fromJson, fromTagValue) = (json.Components[i], tagValue.Components[i]);
                Assert.Equal(
                    (fromTagValue.Ref, fromTagValue.Name, fromTagValue.Version, fromTagValue.Type, fromTagValue.PurlText, fromTagValue.Supplier),
                    (fromJson.Ref, fromJson.Name, fromJson.Version, fromJson.Type, fromJson.PurlText, fromJson.Supplier));
                Assert.Equal(fromTagValue.Licenses, fromJson.Licenses);
                Assert.Equal(fromTagValue.Hashes, fromJson.Hashes);
                Assert.Equal(fromTagValue.ExternalReferences, fromJson.ExternalReferences);
            }
        });
    }

    /// <summary>One of the values, each as likely.</summary>
    private static Gen<T> Any<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static string Id(int index) => "SPDXRef-package-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Json(Package[] packages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("spdxVersion", "SPDX-2.3");
            json.WriteString("SPDXID", "SPDXRef-DOCUMENT");
            json.WriteStartArray("packages");
            for (var i = 0; i < packages.Length; i++)
            {
                var package = packages[i];
                json.WriteStartObject();
                json.WriteString("SPDXID", Id(i));
                json.WriteString("name", package.Name);
                foreach (var (name, _, value) in Fields)
                {
                    if (value(package) is { } written)
                        json.WriteString(name, written);
                }

                json.WriteStartArray("checksums");
                foreach (var checksum in package.Checksums)
                {
                    json.WriteStartObject();
                    json.WriteString("algorithm", checksum.Algorithm);
                    json.WriteString("checksumValue", checksum.Value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("externalRefs");
                foreach (var reference in package.References)
                {
                    // The reader decides whether a locator may be a purl from the fields before it, so every order is tried.
                    (string Name, string Value)[] fields = [("referenceCategory", reference.Category), ("referenceType", reference.Type), ("referenceLocator", reference.Locator)];
                    json.WriteStartObject();
                    foreach (var (name, value) in Permutations[reference.Order].Select(f => fields[f]))
                        json.WriteString(name, value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static readonly int[][] Permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

    /// <summary>A package's single-valued fields, as SPDX JSON and tag-value name them; an absent one is not written.</summary>
    private static readonly (string Json, string TagValue, Func<Package, string?> Value)[] Fields =
    [
        ("versionInfo", "PackageVersion", p => p.Version),
        ("supplier", "PackageSupplier", p => p.Supplier),
        ("downloadLocation", "PackageDownloadLocation", p => p.Download),
        ("homepage", "PackageHomePage", p => p.Homepage),
        ("primaryPackagePurpose", "PrimaryPackagePurpose", p => p.Purpose),
        ("licenseConcluded", "PackageLicenseConcluded", p => p.Concluded),
        ("licenseDeclared", "PackageLicenseDeclared", p => p.Declared),
    ];

    private static string TagValue(Package[] packages)
    {
        var text = new StringBuilder("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: agree\nDocumentNamespace: https://example.org/agree\n");
        for (var i = 0; i < packages.Length; i++)
        {
            var package = packages[i];
            text.Append("\nPackageName: ").Append(package.Name).Append("\nSPDXID: ").Append(Id(i)).Append('\n');
            foreach (var (_, tag, value) in Fields)
            {
                if (value(package) is { } written)
                    text.Append(tag).Append(": ").Append(written).Append('\n');
            }

            foreach (var checksum in package.Checksums)
                text.Append("PackageChecksum: ").Append(checksum.Algorithm).Append(": ").Append(checksum.Value).Append('\n');
            foreach (var reference in package.References)
                text.Append("ExternalRef: ").Append(reference.Category).Append(' ').Append(reference.Type).Append(' ').Append(reference.Locator).Append('\n');
        }

        return text.ToString();
    }

    public sealed record Checksum(string Algorithm, string Value);

    /// <summary>An external reference, with the order its three fields are written in as JSON (an index into <see cref="Permutations"/>).</summary>
    public sealed record Reference(string Category, string Type, string Locator, int Order);

    public sealed record Package(
        string Name, string? Version, string? Supplier, string? Download, string? Homepage, string? Purpose, string? Concluded, string? Declared, Checksum[] Checksums, Reference[] References);
}
