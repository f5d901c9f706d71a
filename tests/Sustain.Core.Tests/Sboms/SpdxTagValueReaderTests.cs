using System.Text;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public sealed class SpdxTagValueReaderTests
{
    private const string Header = """
        SPDXVersion: SPDX-2.3
        DataLicense: CC0-1.0
        SPDXID: SPDXRef-DOCUMENT
        DocumentName: shop
        DocumentNamespace: https://example.org/shop

        """;

    [Fact]
    public void Maps_package_fields_onto_the_component()
    {
        var document = Read(Header + """
            # a comment line
            PackageName: left-pad
            SPDXID: SPDXRef-Package-left-pad
            PackageVersion:	1.3.0
            PackageSupplier: Organization: Acme Corp ()
            PackageDownloadLocation: https://downloads.example.org/left-pad/-/left-pad-1.3.0.tgz
            PackageHomePage: https://github.com/left-pad/left-pad
            PrimaryPackagePurpose: LIBRARY
            PackageChecksum: SHA256: abc123
            PackageLicenseConcluded: MIT
            PackageLicenseDeclared: NOASSERTION
            ExternalRef: SECURITY cpe23Type cpe:2.3:a:left-pad:left-pad:1.3.0:*:*:*:*:*:*:*
            ExternalRef: PACKAGE-MANAGER purl pkg:npm/left-pad@1.3.0
            PackageCopyrightText: <text>Copyright Acme</text>
            """);

        Assert.Equal(SbomFormat.SpdxTagValue, document.Format);
        Assert.Equal("2.3", document.SpecVersion);
        Assert.Equal("shop", document.Name);
        var component = Assert.Single(document.Components);
        Assert.Equal("SPDXRef-Package-left-pad", component.Ref);
        Assert.Equal("left-pad", component.Name);
        Assert.Equal("1.3.0", component.Version);
        Assert.Equal("library", component.Type);
        Assert.Equal("Acme Corp", component.Supplier);
        Assert.Equal("pkg:npm/left-pad@1.3.0", component.PurlText);
        Assert.Equal(["MIT"], component.Licenses);
        Assert.Equal([new SbomHash("SHA-256", "abc123")], component.Hashes);
        Assert.Equal(
            [new ExternalReference("website", "https://github.com/left-pad/left-pad"), new ExternalReference("distribution", "https://downloads.example.org/left-pad/-/left-pad-1.3.0.tgz")],
            component.ExternalReferences);
    }

    [Fact]
    public void Reads_multi_line_text_as_one_value_whatever_it_holds()
    {
        var document = Read(Header + """
            PackageName: left-pad
            SPDXID: SPDXRef-left-pad
            PackageComment: <text>
            PackageVersion: 9.9.9
            SPDXID: SPDXRef-not-an-id
            Relationship: SPDXRef-left-pad DEPENDS_ON SPDXRef-ghost
            </text>
            PackageVersion: 1.3.0
            """);

        var component = Assert.Single(document.Components);
        Assert.Equal("1.3.0", component.Version);
        Assert.Equal("SPDXRef-left-pad", component.Ref);
        Assert.Empty(document.Edges);
        Assert.False(document.HasDependencyGraph);
    }

    [Theory]
    [InlineData("SPDXRef-app DEPENDS_ON SPDXRef-lib", "SPDXRef-app", "SPDXRef-lib", DependencyKind.DependsOn)]
    [InlineData("SPDXRef-lib DEV_DEPENDENCY_OF SPDXRef-app", "SPDXRef-app", "SPDXRef-lib", DependencyKind.Dev)]
    [InlineData("SPDXRef-lib CONTAINED_BY SPDXRef-app", "SPDXRef-app", "SPDXRef-lib", DependencyKind.Contains)]
    [InlineData("SPDXRef-app   STATIC_LINK\tSPDXRef-lib", "SPDXRef-app", "SPDXRef-lib", DependencyKind.DependsOn)]
    public void Reads_relationships_in_their_direction(string relationship, string from, string to, DependencyKind kind)
    {
        var document = Read(Header + TwoPackages + "Relationship: " + relationship + "\n");

        var edge = Assert.Single(document.Edges);
        Assert.Equal((from, to, kind), (document.Components[edge.From].Ref, document.Components[edge.To].Ref, edge.Kind));
    }

    [Fact]
    public void Takes_roots_from_what_the_document_describes_and_warns_about_misspellings_once()
    {
        var document = Read(Header + """
            Relationship: SPDXRef-DOCUMENT describes SPDXRef-app
            Relationship: SPDXRef-app depends_on SPDXRef-lib
            Relationship: SPDXRef-lib depends_on SPDXRef-app

            """ + TwoPackages);

        Assert.Equal("SPDXRef-app", document.Components[Assert.Single(document.Roots)].Ref);
        Assert.Equal(2, document.Edges.Count);
        Assert.Single(document.Warnings, w => w.Message.Contains("'describes'", StringComparison.Ordinal));
        Assert.Single(document.Warnings, w => w.Message.Contains("'depends_on'", StringComparison.Ordinal));
        Assert.Equal("line 6", document.Warnings.Single(w => w.Message.Contains("'describes'", StringComparison.Ordinal)).Location);
    }

    [Fact]
    public void Does_not_count_files_or_snippets_and_ignores_their_relationships_silently()
    {
        var document = Read(Header + """
            Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-main-c
            Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app
            Relationship: SPDXRef-app CONTAINS SPDXRef-main-c
            Relationship: SPDXRef-snippet DEPENDS_ON SPDXRef-lib

            PackageName: app
            SPDXID: SPDXRef-app

            FileName: ./main.c
            SPDXID: SPDXRef-main-c
            FileChecksum: SHA1: d6a770ba38583ed4bb4525bd96e50461655d2758

            SnippetSPDXID: SPDXRef-snippet
            SnippetFromFileSPDXID: SPDXRef-main-c

            PackageName: lib
            SPDXID: SPDXRef-lib

            LicenseID: LicenseRef-1
            ExtractedText: <text>Some licence</text>
            """);

        Assert.Equal(["SPDXRef-app", "SPDXRef-lib"], document.Components.Select(c => c.Ref));
        Assert.Equal("SPDXRef-app", document.Components[Assert.Single(document.Roots)].Ref);
        Assert.Empty(document.Edges);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("SPDXRef-main-c", StringComparison.Ordinal) || w.Message.Contains("SPDXRef-snippet", StringComparison.Ordinal));
    }

    [Fact]
    public void Warns_about_relationships_naming_elements_that_are_nowhere()
    {
        var document = Read(Header + TwoPackages + "Relationship: SPDXRef-app DEPENDS_ON SPDXRef-ghost\n");

        Assert.Contains(document.Warnings, w => w.Message.Contains("SPDXRef-ghost", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SPDXVersion: SPDX-1.2\n", "line 1", "SPDX-1.2")]
    [InlineData("SPDXVersion: SPDX-2.3\n\nPackageName: a\nPackageVersion: 1\n\nPackageName: b\nSPDXID: SPDXRef-b\n", "line 3", "SPDXID")]
    [InlineData("SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a_b\n", "line 3", "SPDXRef-a_b")]
    [InlineData("SPDXVersion: SPDX-2.3\nPackageName:\nSPDXID: SPDXRef-a\n", "line 2", "name")]
    [InlineData("SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nPackageComment: <text>never\nclosed\n", "line 4", "</text>")]
    [InlineData("SPDXVersion: SPDX-2.3\nthis is not a tag\n", "line 2", "Tag: value")]
    [InlineData("SPDXVersion: SPDX-2.3\nRelationship: SPDXRef-a DEPENDS_ON\n", "line 2", "element TYPE element")]
    public void Refuses_broken_documents_saying_which_line(string text, string location, string mentioned)
    {
        var e = Assert.Throws<SbomFormatException>(() => Read(text));

        Assert.Equal(location, e.Location);
        Assert.Contains(mentioned, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_document_without_a_version()
    {
        // SbomReader's detection already refuses text without an SPDXVersion line; the reader must not rely on that.
        var text = "DataLicense: CC0-1.0\nPackageName: a\nSPDXID: SPDXRef-a\n";
        var e = Assert.Throws<SbomFormatException>(() => SpdxTagValueReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), SbomReaderOptions.Default));

        Assert.Contains("SPDXVersion", e.Problem, StringComparison.Ordinal);
    }

    private const string TwoPackages = """
        PackageName: app
        SPDXID: SPDXRef-app

        PackageName: lib
        SPDXID: SPDXRef-lib

        """;

    private static SbomDocument Read(string text) => SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));
}
