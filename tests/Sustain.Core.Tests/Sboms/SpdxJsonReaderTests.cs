using System.Text;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public sealed class SpdxJsonReaderTests
{
    private const string Packages = """
        "packages": [
          { "SPDXID": "SPDXRef-app", "name": "app" },
          { "SPDXID": "SPDXRef-lib", "name": "lib" }
        ]
        """;

    [Fact]
    public void Maps_package_fields_onto_the_component()
    {
        var document = Read("""
            {
              "spdxVersion": "SPDX-2.3",
              "SPDXID": "SPDXRef-DOCUMENT",
              "name": "shop",
              "packages": [{
                "SPDXID": "SPDXRef-Package-left-pad",
                "name": "left-pad",
                "versionInfo": "1.3.0",
                "primaryPackagePurpose": "OPERATING_SYSTEM",
                "supplier": "Organization: Acme Corp (ops@acme.example)",
                "homepage": "https://left-pad.example",
                "downloadLocation": "git+https://github.com/left-pad/left-pad.git",
                "licenseConcluded": "NOASSERTION",
                "licenseDeclared": "MIT OR Apache-2.0",
                "checksums": [{ "algorithm": "SHA256", "checksumValue": "abc123" }, { "algorithm": "SHA1", "checksumValue": "def456" }],
                "externalRefs": [
                  { "referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:left-pad:left-pad:1.3.0:*:*:*:*:*:*:*" },
                  { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/left-pad@1.3.0" },
                  { "referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/left-pad@1.3.0?second" }
                ],
                "filesAnalyzed": false,
                "copyrightText": "NOASSERTION"
              }]
            }
            """);

        Assert.Equal(SbomFormat.SpdxJson, document.Format);
        Assert.Equal("2.3", document.SpecVersion);
        Assert.Equal("shop", document.Name);
        var component = Assert.Single(document.Components);
        Assert.Equal("SPDXRef-Package-left-pad", component.Ref);
        Assert.Equal("left-pad", component.Name);
        Assert.Equal("1.3.0", component.Version);
        Assert.Equal("operating-system", component.Type);
        Assert.Equal("pkg:npm/left-pad@1.3.0", component.PurlText);
        Assert.Equal("Acme Corp", component.Supplier);
        Assert.Equal(["MIT OR Apache-2.0"], component.Licenses);
        Assert.Equal([new SbomHash("SHA-256", "abc123"), new SbomHash("SHA-1", "def456")], component.Hashes);
        Assert.Equal(
            [new ExternalReference("website", "https://left-pad.example"), new ExternalReference("vcs", "git+https://github.com/left-pad/left-pad.git")],
            component.ExternalReferences);
    }

    [Theory]
    [InlineData("""{ "referenceLocator": "pkg:npm/a@1", "referenceType": "purl", "referenceCategory": "PACKAGE-MANAGER" }""", "pkg:npm/a@1")]
    [InlineData("""{ "referenceCategory": "PACKAGE_MANAGER", "referenceLocator": "pkg:npm/a@1", "referenceType": "purl" }""", "pkg:npm/a@1")]
    [InlineData("""{ "referenceCategory": "package-manager", "referenceType": "PURL", "referenceLocator": "pkg:npm/a@1" }""", "pkg:npm/a@1")]
    [InlineData("""{ "referenceCategory": "SECURITY", "referenceLocator": "pkg:npm/a@1", "referenceType": "purl" }""", null)]
    [InlineData("""{ "referenceCategory": "PACKAGE-MANAGER", "referenceLocator": "a@1", "referenceType": "npm" }""", null)]
    public void Takes_the_purl_only_from_a_package_manager_reference_whatever_the_order_of_its_fields(string reference, string? purl)
    {
        var component = Assert.Single(Read($$"""
            { "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "externalRefs": [{{reference}}] }] }
            """).Components);

        Assert.Equal(purl, component.PurlText);
    }

    [Fact]
    public void Reads_escaped_identifiers_in_relationships_as_the_identifiers_they_spell()
    {
        var document = Read(Document("""
            "relationships": [{ "spdxElementId": "SPDXRef-\u0061pp", "relationshipType": "DEPENDS\u005fON", "relatedSpdxElement": "SPDXRef-lib" }]
            """));

        var edge = Assert.Single(document.Edges);
        Assert.Equal("SPDXRef-app", document.Components[edge.From].Ref);
    }

    [Theory]
    [InlineData("git+https://example.org/repo.git", "vcs")]
    [InlineData("svn+https://svn.example.org/repo", "vcs")]
    [InlineData("hg+https://hg.example.org/repo", "vcs")]
    [InlineData("bzr+https://bzr.example.org/repo", "vcs")]
    [InlineData("https://github.com/owner/repo", "vcs")]
    [InlineData("https://gitlab.com/owner/repo/-/archive/v1/repo-v1.tar.gz", "vcs")]
    [InlineData("https://downloads.example.org/left-pad/-/left-pad-1.3.0.tgz", "distribution")]
    public void Reads_the_download_location_as_a_repository_or_a_distribution(string location, string type)
    {
        var component = Assert.Single(Read($$"""
            { "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "downloadLocation": "{{location}}" }] }
            """).Components);

        Assert.Equal([new ExternalReference(type, location)], component.ExternalReferences);
    }

    [Fact]
    public void Keeps_long_and_escaped_hash_and_url_text_of_each_package_apart()
    {
        var longHash = new string('a', 700);
        var longUrl = "https://example.org/" + new string('u', 900);
        var document = Read($$"""
            { "spdxVersion": "SPDX-2.3", "packages": [
              { "SPDXID": "SPDXRef-a", "name": "a", "homepage": "https://example.org/a?x=1\u0026y=2", "downloadLocation": "{{longUrl}}",
                "checksums": [{ "checksumValue": " {{longHash}} ", "algorithm": "SHA512" }, { "algorithm": "MD5", "checksumValue": null }] },
              { "SPDXID": "SPDXRef-b", "name": "b", "homepage": "https://b.example", "homepage": "https://b.example/later",
                "checksums": [{ "algorithm": "SHA1", "checksumValue": "abc" }] }
            ] }
            """);

        var (a, b) = (document.Components[0], document.Components[1]);
        Assert.Equal([new SbomHash("SHA-512", longHash)], a.Hashes);
        Assert.Equal([new ExternalReference("website", "https://example.org/a?x=1&y=2"), new ExternalReference("distribution", longUrl)], a.ExternalReferences);
        Assert.Equal([new SbomHash("SHA-1", "abc")], b.Hashes);
        Assert.Equal([new ExternalReference("website", "https://b.example/later")], b.ExternalReferences);
    }

    [Theory]
    [InlineData("NOASSERTION")]
    [InlineData("NONE")]
    public void Skips_the_keywords_that_say_nothing(string keyword)
    {
        var component = Assert.Single(Read($$"""
            { "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "downloadLocation": "{{keyword}}",
              "homepage": "{{keyword}}", "licenseConcluded": "{{keyword}}", "licenseDeclared": "{{keyword}}", "supplier": "{{keyword}}" }] }
            """).Components);

        Assert.Empty(component.ExternalReferences);
        Assert.Empty(component.Licenses);
        Assert.Null(component.Supplier);
    }

    [Theory]
    [InlineData("DEPENDS_ON", "app", "lib", DependencyKind.DependsOn)]
    [InlineData("DEPENDENCY_OF", "lib", "app", DependencyKind.DependsOn)]
    [InlineData("RUNTIME_DEPENDENCY_OF", "lib", "app", DependencyKind.Runtime)]
    [InlineData("BUILD_DEPENDENCY_OF", "lib", "app", DependencyKind.Build)]
    [InlineData("DEV_DEPENDENCY_OF", "lib", "app", DependencyKind.Dev)]
    [InlineData("TEST_DEPENDENCY_OF", "lib", "app", DependencyKind.Test)]
    [InlineData("OPTIONAL_DEPENDENCY_OF", "lib", "app", DependencyKind.Optional)]
    [InlineData("PROVIDED_DEPENDENCY_OF", "lib", "app", DependencyKind.Provided)]
    [InlineData("CONTAINS", "app", "lib", DependencyKind.Contains)]
    [InlineData("CONTAINED_BY", "lib", "app", DependencyKind.Contains)]
    [InlineData("STATIC_LINK", "app", "lib", DependencyKind.DependsOn)]
    [InlineData("DYNAMIC_LINK", "app", "lib", DependencyKind.DependsOn)]
    public void Reads_each_dependency_relationship_in_its_direction(string type, string element, string related, DependencyKind kind)
    {
        var document = Read(Document($$"""
            "relationships": [{ "spdxElementId": "SPDXRef-{{element}}", "relationshipType": "{{type}}", "relatedSpdxElement": "SPDXRef-{{related}}" }]
            """));

        var edge = Assert.Single(document.Edges);
        Assert.Equal(("SPDXRef-app", "SPDXRef-lib", kind), (document.Components[edge.From].Ref, document.Components[edge.To].Ref, edge.Kind));
        Assert.True(document.HasDependencyGraph);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("relationship", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolves_relationships_read_before_their_packages_and_ids_of_any_length_in_order()
    {
        var longId = "SPDXRef-" + new string('x', 300);
        var document = Read($$"""
            {
              "relationships": [
                { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "{{longId}}" },
                { "spdxElementId": "{{longId}}", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app" },
                { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib" }
              ],
              "spdxVersion": "SPDX-2.3",
              "packages": [{ "SPDXID": "SPDXRef-app", "name": "app" }, { "SPDXID": "SPDXRef-lib", "name": "lib" }, { "SPDXID": "{{longId}}", "name": "long" }]
            }
            """);

        Assert.Equal(
            [("SPDXRef-app", longId), ("SPDXRef-app", "SPDXRef-lib")],
            document.Edges.Select(e => (document.Components[e.From].Ref, document.Components[e.To].Ref)));
    }

    [Theory]
    [InlineData("GENERATED_FROM")]
    [InlineData("COPY_OF")]
    [InlineData("DEPENDENCY_MANIFEST_OF")]
    [InlineData("BUILD_TOOL_OF")]
    public void Ignores_relationships_that_are_not_dependencies_silently(string type)
    {
        var document = Read(Document($$"""
            "relationships": [{ "spdxElementId": "SPDXRef-app", "relationshipType": "{{type}}", "relatedSpdxElement": "SPDXRef-lib" }]
            """));

        Assert.Empty(document.Edges);
        Assert.False(document.HasDependencyGraph);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains(type, StringComparison.Ordinal));
    }

    [Fact]
    public void Takes_roots_from_documentDescribes_DESCRIBES_and_DESCRIBED_BY()
    {
        var document = Read("""
            {
              "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
              "documentDescribes": ["SPDXRef-a"],
              "packages": [{ "SPDXID": "SPDXRef-a", "name": "a" }, { "SPDXID": "SPDXRef-b", "name": "b" }, { "SPDXID": "SPDXRef-c", "name": "c" }, { "SPDXID": "SPDXRef-d", "name": "d" }],
              "relationships": [
                { "spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-b" },
                { "spdxElementId": "SPDXRef-c", "relationshipType": "DESCRIBED_BY", "relatedSpdxElement": "SPDXRef-DOCUMENT" },
                { "spdxElementId": "SPDXRef-a", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-d" }
              ]
            }
            """);

        Assert.Equal(["SPDXRef-a", "SPDXRef-b", "SPDXRef-c"], document.Roots.Select(r => document.Components[r].Ref).Order());
    }

    [Fact]
    public void Takes_the_documents_own_SPDXID_wherever_it_stands()
    {
        var document = Read("""
            {
              "relationships": [{ "spdxElementId": "SPDXRef-Doc-1", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-a" }],
              "packages": [{ "SPDXID": "SPDXRef-a", "name": "a" }],
              "SPDXID": "SPDXRef-Doc-1",
              "spdxVersion": "SPDX-2.2"
            }
            """);

        Assert.Equal("SPDXRef-a", document.Components[Assert.Single(document.Roots)].Ref);
    }

    [Theory]
    [InlineData("depends_on", "DEPENDS_ON")]
    [InlineData("DEPENDS-ON", "DEPENDS_ON")]
    [InlineData("dependsOn", "DEPENDS_ON")]
    [InlineData("Contains", "CONTAINS")]
    public void Reads_misspelt_relationship_types_with_one_warning_each(string written, string readAs)
    {
        var document = Read("""
            {
              "spdxVersion": "SPDX-2.3",
              "packages": [{ "SPDXID": "SPDXRef-a", "name": "a" }, { "SPDXID": "SPDXRef-b", "name": "b" }, { "SPDXID": "SPDXRef-c", "name": "c" }],
              "relationships": [
                { "spdxElementId": "SPDXRef-a", "relationshipType": "WRITTEN", "relatedSpdxElement": "SPDXRef-b" },
                { "spdxElementId": "SPDXRef-a", "relationshipType": "WRITTEN", "relatedSpdxElement": "SPDXRef-c" }
              ]
            }
            """.Replace("WRITTEN", written, StringComparison.Ordinal));

        Assert.Equal(2, document.Edges.Count);
        var warning = Assert.Single(document.Warnings, w => w.Message.Contains($"'{written}'", StringComparison.Ordinal));
        Assert.Contains(readAs, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_DESCRIBE_as_DESCRIBES_with_a_warning()
    {
        var document = Read(Document("""
            "SPDXID": "SPDXRef-DOCUMENT",
            "relationships": [{ "spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBE", "relatedSpdxElement": "SPDXRef-app" }]
            """));

        Assert.Equal("SPDXRef-app", document.Components[Assert.Single(document.Roots)].Ref);
        Assert.Single(document.Warnings, w => w.Message.Contains("'DESCRIBE'", StringComparison.Ordinal) && w.Message.Contains("DESCRIBES", StringComparison.Ordinal));
    }

    [Fact]
    public void Warns_once_about_an_unknown_relationship_type_and_ignores_it()
    {
        var document = Read(Document("""
            "relationships": [
              { "spdxElementId": "SPDXRef-app", "relationshipType": "LIKES", "relatedSpdxElement": "SPDXRef-lib" },
              { "spdxElementId": "SPDXRef-lib", "relationshipType": "LIKES", "relatedSpdxElement": "SPDXRef-app" }
            ]
            """));

        Assert.Empty(document.Edges);
        Assert.Single(document.Warnings, w => w.Message.Contains("'LIKES'", StringComparison.Ordinal));
    }

    [Fact]
    public void Does_not_count_files_or_snippets_and_ignores_their_relationships_silently()
    {
        var document = Read("""
            {
              "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
              "documentDescribes": ["SPDXRef-app", "SPDXRef-main-c"],
              "relationships": [
                { "spdxElementId": "SPDXRef-app", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-main-c" },
                { "spdxElementId": "SPDXRef-snippet", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-app" },
                { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib" }
              ],
              "packages": [{ "SPDXID": "SPDXRef-app", "name": "app" }, { "SPDXID": "SPDXRef-lib", "name": "lib" }],
              "files": [{ "SPDXID": "SPDXRef-main-c", "fileName": "./main.c" }],
              "snippets": [{ "SPDXID": "SPDXRef-snippet", "snippetFromFile": "SPDXRef-main-c" }]
            }
            """);

        Assert.Equal(2, document.ComponentCount);
        Assert.Single(document.Edges);
        Assert.Equal("SPDXRef-app", document.Components[Assert.Single(document.Roots)].Ref);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("SPDXRef-main-c", StringComparison.Ordinal) || w.Message.Contains("SPDXRef-snippet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Takes_an_id_that_names_a_package_and_a_file_for_the_package_wherever_they_stand(bool fileFirst)
    {
        // SPDX ids are unique within a document; when a tool gives a file a package's id, the package is what Sustain can use.
        const string packages = """ "packages": [{ "SPDXID": "SPDXRef-app", "name": "app" }, { "SPDXID": "SPDXRef-lib", "name": "lib" }] """;
        const string files = """ "files": [{ "SPDXID": "SPDXRef-lib", "fileName": "./lib.c" }] """;
        var document = Read($$"""
            {
              "spdxVersion": "SPDX-2.3",
              "relationships": [{ "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib" }],
              {{(fileFirst ? files + "," + packages : packages + "," + files)}},
              "relationships": [{ "spdxElementId": "SPDXRef-lib", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app" }]
            }
            """);

        var edge = Assert.Single(document.Edges);
        Assert.Equal(("SPDXRef-app", "SPDXRef-lib"), (document.Components[edge.From].Ref, document.Components[edge.To].Ref));
    }

    [Fact]
    public void Warns_about_relationships_naming_elements_that_are_nowhere()
    {
        var document = Read(Document("""
            "relationships": [{ "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-ghost" }]
            """));

        Assert.Empty(document.Edges);
        Assert.Contains(document.Warnings, w => w.Message.Contains("SPDXRef-ghost", StringComparison.Ordinal));
    }

    [Fact]
    public void Ignores_relationships_into_other_documents_with_one_warning()
    {
        var document = Read(Document("""
            "relationships": [
              { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-libs:SPDXRef-x" },
              { "spdxElementId": "SPDXRef-app", "relationshipType": "STATIC_LINK", "relatedSpdxElement": "DocumentRef-libs:SPDXRef-y" },
              { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib" }
            ]
            """));

        Assert.Single(document.Edges);
        var warning = Assert.Single(document.Warnings, w => w.Message.Contains("DocumentRef-libs", StringComparison.Ordinal));
        Assert.StartsWith("2 relationships", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NOASSERTION")]
    [InlineData("NONE")]
    public void Ignores_relationships_to_no_element(string keyword)
    {
        var document = Read(Document($$"""
            "relationships": [{ "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "{{keyword}}" }]
            """));

        Assert.Empty(document.Edges);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains(keyword, StringComparison.Ordinal));
    }

    [Fact]
    public void Has_no_dependency_graph_without_dependency_relationships()
    {
        var document = Read(Document("\"SPDXID\": \"SPDXRef-DOCUMENT\", \"documentDescribes\": [\"SPDXRef-app\"]"));

        Assert.False(document.HasDependencyGraph);
        Assert.Empty(document.Edges);
    }

    [Fact]
    public void Warns_about_a_purpose_SPDX_does_not_define_and_leaves_the_type_empty()
    {
        var document = Read("""
            { "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "primaryPackagePurpose": "SOMETHING" }] }
            """);

        Assert.Null(Assert.Single(document.Components).Type);
        Assert.Contains(document.Warnings, w => w.Message.Contains("'SOMETHING'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SPDX-2.0", "2.0")]
    [InlineData("SPDX-2.1", "2.1")]
    [InlineData("SPDX-2.2", "2.2")]
    [InlineData("SPDX-2.3", "2.3")]
    public void Reads_SPDX_2_versions(string written, string version) =>
        Assert.Equal(version, Read($$"""{ "spdxVersion": "{{written}}", "packages": [] }""").SpecVersion);

    [Theory]
    [InlineData("SPDX-1.2")]
    [InlineData("SPDX-2.x")]
    [InlineData("SPDX-3.0")]
    [InlineData("2.3")]
    public void Refuses_versions_it_does_not_read(string written)
    {
        var e = Assert.Throws<SbomFormatException>(() => Read($$"""{ "spdxVersion": "{{written}}", "packages": [] }"""));

        Assert.Equal("$.spdxVersion", e.Location);
        Assert.Contains(written, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "SPDXID": "SPDXRef-DOCUMENT", "packages": [] }""", "$.spdxVersion")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a" }, { "name": "b" }] }""", "$.packages[1].SPDXID")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a" }] }""", "$.packages[0].name")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": null }] }""", "$.packages[0].name")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-pkg/npm", "name": "a" }] }""", "$.packages[0].SPDXID")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "Package-a", "name": "a" }] }""", "$.packages[0].SPDXID")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "SPDXID": "", "packages": [] }""", "$.SPDXID")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "versionInfo": 1.0 }] }""", "$.packages[0].versionInfo")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "checksums": "SHA1: abc" }] }""", "$.packages[0].checksums")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", "name": "a", "externalRefs": [{ "referenceLocator": 7 }] }] }""", "$.packages[0].externalRefs[0].referenceLocator")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "packages": {} }""", "$.packages")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "relationships": [{ "spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON" }] }""", "$.relationships[0].relatedSpdxElement")]
    [InlineData("""{ "spdxVersion": "SPDX-2.3", "documentDescribes": [1] }""", "$.documentDescribes[0]")]
    public void Refuses_broken_documents_saying_where(string json, string location)
    {
        var e = Assert.Throws<SbomFormatException>(() => Read(json));

        Assert.Equal(location, e.Location);
        Assert.False(string.IsNullOrWhiteSpace(e.Problem));
    }

    [Fact]
    public void Refuses_invalid_JSON_with_its_line()
    {
        var e = Assert.Throws<SbomFormatException>(() => Read("{ \"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [ { \"SPDXID\": \"SPDXRef-a\" \"name\": \"a\" } ] }"));

        Assert.StartsWith("line 2", e.Location, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"name\": \"a\u00FF\"")]
    [InlineData("\"name\": \"a\", \"versionInfo\": \"1\u00FF\"")]
    [InlineData("\"name\": \"a\", \"checksums\": [{ \"algorithm\": \"SHA1\", \"checksumValue\": \"\u00FF\" }]")]
    public void Refuses_a_string_that_is_not_UTF_8_saying_at_which_byte(string properties)
    {
        // U+00FF stands for a lone 0xFF byte, which no UTF-8 text contains.
        var text = $$"""{ "spdxVersion": "SPDX-2.3", "packages": [{ "SPDXID": "SPDXRef-a", {{properties}} }] }""";

        var error = Assert.Throws<SbomFormatException>(() => SbomReader.Read(new MemoryStream(Encoding.Latin1.GetBytes(text))));

        Assert.Contains("is not valid UTF-8", error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("byte ", error.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SPDXRef-app\u00FF", "DEPENDS_ON", "SPDXRef-lib")]
    [InlineData("SPDXRef-app", "DEPENDS_ON\u00FF", "SPDXRef-lib")]
    [InlineData("SPDXRef-app", "DEPENDS_ON", "SPDXRef-lib\u00FF")]
    [InlineData("DocumentRef-other\u00FF:SPDXRef-x", "DEPENDS_ON", "SPDXRef-lib")]
    public void Refuses_a_relationship_that_is_not_UTF_8_saying_which(string element, string type, string related)
    {
        // The relationship before it names the same packages, so each end and the type is tried against known text first.
        var text = Document($$"""
            "relationships": [
              { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib" },
              { "spdxElementId": "{{element}}", "relationshipType": "{{type}}", "relatedSpdxElement": "{{related}}" }
            ]
            """);

        var error = Assert.Throws<SbomFormatException>(() => SbomReader.Read(new MemoryStream(Encoding.Latin1.GetBytes(text))));

        Assert.Equal("$.relationships[1]", error.Location);
        Assert.Contains("not valid UTF-8", error.Problem, StringComparison.Ordinal);
    }

    private static string Document(string more) => $$"""{ "spdxVersion": "SPDX-2.3", {{Packages}}, {{more}} }""";

    private static SbomDocument Read(string json) => SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));
}
