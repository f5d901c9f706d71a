using System.Text;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public sealed class Spdx3JsonLdReaderTests
{
    private const string Context = "\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\"";

    private const string CreationInfo = """{ "type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z", "createdBy": ["urn:acme"] }""";

    private const string TwoPackages = """
        { "type": "software_Package", "spdxId": "urn:app", "name": "app", "creationInfo": "_:ci" },
        { "type": "software_Package", "spdxId": "urn:lib", "name": "lib", "creationInfo": "_:ci" }
        """;

    [Fact]
    public void Maps_package_fields_onto_the_component()
    {
        var document = Read($$"""
            {
              {{Context}},
              "@graph": [
                {{CreationInfo}},
                {
                  "spdxId": "urn:left-pad",
                  "name": "left-pad",
                  "software_packageVersion": "1.3.0",
                  "software_primaryPurpose": "operatingSystem",
                  "software_downloadLocation": "https://downloads.example.org/left-pad/-/left-pad-1.3.0.tgz",
                  "software_homePage": "https://left-pad.example",
                  "suppliedBy": "urn:acme",
                  "verifiedUsing": [{ "type": "Hash", "algorithm": "sha256", "hashValue": "abc123" }],
                  "externalIdentifier": [{ "type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:npm/left-pad@1.3.0" }],
                  "externalRef": [{ "type": "ExternalRef", "externalRefType": "vcs", "locator": ["https://github.com/left-pad/left-pad"] }],
                  "creationInfo": "_:ci",
                  "type": "software_Package"
                },
                { "type": "Organization", "spdxId": "urn:acme", "name": "Acme Corp", "creationInfo": "_:ci" },
                { "type": "simplelicensing_LicenseExpression", "spdxId": "urn:licence", "simplelicensing_licenseExpression": "MIT OR Apache-2.0", "creationInfo": "_:ci" },
                { "type": "Relationship", "spdxId": "urn:r1", "from": "urn:left-pad", "relationshipType": "hasDeclaredLicense", "to": ["urn:licence"], "creationInfo": "_:ci" },
                { "type": "Relationship", "spdxId": "urn:r2", "from": "urn:left-pad", "relationshipType": "hasConcludedLicense", "to": ["https://spdx.org/licenses/MIT"], "creationInfo": "_:ci" }
              ]
            }
            """);

        Assert.Equal(SbomFormat.Spdx3JsonLd, document.Format);
        Assert.Equal("3.0.1", document.SpecVersion);
        var component = Assert.Single(document.Components);
        Assert.Equal("urn:left-pad", component.Ref);
        Assert.Equal("left-pad", component.Name);
        Assert.Equal("1.3.0", component.Version);
        Assert.Equal("operating-system", component.Type);
        Assert.Equal("pkg:npm/left-pad@1.3.0", component.PurlText);
        Assert.Equal("Acme Corp", component.Supplier);
        Assert.Equal(["MIT OR Apache-2.0", "MIT"], component.Licenses);
        Assert.Equal([new SbomHash("SHA-256", "abc123")], component.Hashes);
        Assert.Equal(
            [
                new ExternalReference("vcs", "https://github.com/left-pad/left-pad"),
                new ExternalReference("website", "https://left-pad.example"),
                new ExternalReference("distribution", "https://downloads.example.org/left-pad/-/left-pad-1.3.0.tgz"),
            ],
            component.ExternalReferences);
    }

    [Fact]
    public void Prefers_software_packageUrl_to_an_external_identifier()
    {
        var component = Assert.Single(Read($$"""
            { {{Context}}, "@graph": [ {{CreationInfo}}, {
              "type": "software_Package", "spdxId": "urn:a", "name": "a",
              "externalIdentifier": [{ "type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:npm/a@2" }],
              "software_packageUrl": "pkg:npm/a@1" } ] }
            """).Components);

        Assert.Equal("pkg:npm/a@1", component.PurlText);
    }

    [Fact]
    public void Counts_every_kind_of_package_and_no_files()
    {
        var document = Read($$"""
            { {{Context}}, "@graph": [ {{CreationInfo}},
              { "type": "software_Package", "spdxId": "urn:a", "name": "a" },
              { "type": "Package", "spdxId": "urn:b", "name": "b" },
              { "type": "ai_AIPackage", "spdxId": "urn:c", "name": "c" },
              { "type": "dataset_DatasetPackage", "spdxId": "urn:d", "name": "d" },
              { "type": "software_File", "spdxId": "urn:f", "name": "main.c" },
              { "type": "software_Snippet", "spdxId": "urn:s", "name": "snippet" },
              { "type": "Relationship", "spdxId": "urn:r1", "from": "urn:a", "relationshipType": "contains", "to": ["urn:f", "urn:b"] },
              { "type": "Relationship", "spdxId": "urn:r2", "from": "urn:s", "relationshipType": "dependsOn", "to": ["urn:c"] }
            ] }
            """);

        Assert.Equal(["urn:a", "urn:b", "urn:c", "urn:d"], document.Components.Select(c => c.Ref));
        var edge = Assert.Single(document.Edges);
        Assert.Equal(("urn:a", "urn:b", DependencyKind.Contains), (document.Components[edge.From].Ref, document.Components[edge.To].Ref, edge.Kind));
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("urn:f", StringComparison.Ordinal) || w.Message.Contains("urn:s", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dependsOn", DependencyKind.DependsOn)]
    [InlineData("contains", DependencyKind.Contains)]
    [InlineData("hasDynamicLink", DependencyKind.DependsOn)]
    [InlineData("hasStaticLink", DependencyKind.DependsOn)]
    [InlineData("hasOptionalDependency", DependencyKind.Optional)]
    [InlineData("hasProvidedDependency", DependencyKind.Provided)]
    [InlineData("https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/dependsOn", DependencyKind.DependsOn)]
    public void Reads_dependency_relationships_from_from_to_to(string type, DependencyKind kind)
    {
        var document = Read(Graph($$"""{ "type": "Relationship", "spdxId": "urn:r", "from": "urn:app", "relationshipType": "{{type}}", "to": ["urn:lib"] }"""));

        var edge = Assert.Single(document.Edges);
        Assert.Equal(("urn:app", "urn:lib", kind), (document.Components[edge.From].Ref, document.Components[edge.To].Ref, edge.Kind));
        Assert.True(document.HasDependencyGraph);
    }

    [Theory]
    [InlineData("build", DependencyKind.Build)]
    [InlineData("development", DependencyKind.Dev)]
    [InlineData("test", DependencyKind.Test)]
    [InlineData("runtime", DependencyKind.Runtime)]
    [InlineData("design", DependencyKind.DependsOn)]
    [InlineData("other", DependencyKind.DependsOn)]
    public void Reads_the_lifecycle_scope_of_a_dependency_as_its_kind(string scope, DependencyKind kind)
    {
        var document = Read(Graph($$"""{ "type": "LifecycleScopedRelationship", "spdxId": "urn:r", "from": "urn:app", "relationshipType": "dependsOn", "scope": "{{scope}}", "to": ["urn:lib"] }"""));

        Assert.Equal(kind, Assert.Single(document.Edges).Kind);
    }

    [Fact]
    public void Ignores_other_relationship_types_silently()
    {
        var document = Read(Graph("""
            { "type": "Relationship", "spdxId": "urn:r1", "from": "urn:app", "relationshipType": "generates", "to": ["urn:lib"] },
            { "type": "Relationship", "spdxId": "urn:r2", "from": "urn:app", "relationshipType": "trainedOn", "to": ["urn:lib"] }
            """));

        Assert.Empty(document.Edges);
        Assert.False(document.HasDependencyGraph);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("relationship", StringComparison.Ordinal));
    }

    [Fact]
    public void Takes_roots_from_the_documents_root_elements_through_its_sbom()
    {
        var document = Read($$"""
            { {{Context}}, "@graph": [
              { "type": "SpdxDocument", "spdxId": "urn:doc", "name": "shop", "rootElement": ["urn:bom"] },
              { "type": "software_Sbom", "spdxId": "urn:bom", "rootElement": ["urn:app"] },
              {{CreationInfo}}, {{TwoPackages}}
            ] }
            """);

        Assert.Equal("shop", document.Name);
        Assert.Equal("urn:app", document.Components[Assert.Single(document.Roots)].Ref);
    }

    [Fact]
    public void Takes_roots_from_what_the_document_describes_but_not_from_what_elements_describe()
    {
        var document = Read(Graph("""
            { "type": "SpdxDocument", "spdxId": "urn:doc" },
            { "type": "Relationship", "spdxId": "urn:r1", "from": "urn:doc", "relationshipType": "describes", "to": ["urn:lib"] },
            { "type": "Relationship", "spdxId": "urn:r2", "from": "urn:lib", "relationshipType": "describes", "to": ["urn:app"] }
            """));

        Assert.Equal("urn:lib", document.Components[Assert.Single(document.Roots)].Ref);
    }

    [Fact]
    public void Reads_relationships_and_packages_in_any_order()
    {
        var document = Read($$"""
            { "@graph": [
              { "to": "urn:lib", "relationshipType": "dependsOn", "from": "urn:app", "type": "Relationship", "spdxId": "urn:r" },
              {{TwoPackages}},
              {{CreationInfo}}
            ], {{Context}} }
            """);

        Assert.Single(document.Edges);
    }

    [Fact]
    public void Warns_once_about_relationships_to_imported_elements()
    {
        var document = Read(Graph("""
            { "type": "SpdxDocument", "spdxId": "urn:doc", "import": [{ "type": "ExternalMap", "externalSpdxId": "urn:other:lib" }] },
            { "type": "Relationship", "spdxId": "urn:r1", "from": "urn:app", "relationshipType": "dependsOn", "to": ["urn:other:lib", "urn:lib"] }
            """));

        Assert.Single(document.Edges);
        Assert.Single(document.Warnings, w => w.Message.Contains("urn:other:lib", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_the_version_from_the_context_when_no_creation_info_gives_it()
    {
        var document = Read("""
            { "@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "@graph": [{ "type": "software_Package", "spdxId": "urn:a", "name": "a" }] }
            """);

        Assert.Equal("3.0.0", document.SpecVersion);
    }

    [Theory]
    [InlineData("""{ "type": "software_Package", "name": "a" }""", "$.@graph[1].spdxId")]
    [InlineData("""{ "type": "software_Package", "spdxId": "urn:a" }""", "$.@graph[1].name")]
    [InlineData("""{ "type": "Relationship", "spdxId": "urn:r", "from": "urn:a", "relationshipType": "dependsOn" }""", "$.@graph[1].to")]
    [InlineData("""{ "type": "Relationship", "spdxId": "urn:r", "from": "urn:a", "relationshipType": "dependsOn", "to": [3] }""", "$.@graph[1].to[0]")]
    [InlineData("""{ "type": "software_Package", "spdxId": "urn:a", "name": ["a"] }""", "$.@graph[1].name")]
    [InlineData("""{ "type": "CreationInfo", "@id": "_:old", "specVersion": "2.3" }""", "$.@graph")]
    [InlineData("42", "$.@graph[1]")]
    public void Refuses_broken_elements_saying_where(string element, string location)
    {
        var e = Assert.Throws<SbomFormatException>(() => Read($$"""{ {{Context}}, "@graph": [ {{(element.Contains("CreationInfo", StringComparison.Ordinal) ? "{}" : CreationInfo)}}, {{element}} ] }"""));

        Assert.Equal(location, e.Location);
        Assert.False(string.IsNullOrWhiteSpace(e.Problem));
    }

    [Fact]
    public void Refuses_a_document_without_a_graph()
    {
        var e = Assert.Throws<SbomFormatException>(() => Read($$"""{ {{Context}}, "type": "software_Package", "spdxId": "urn:a", "name": "a" }"""));

        Assert.Equal("$.@graph", e.Location);
    }

    private static string Graph(string elements) => $$"""{ {{Context}}, "@graph": [ {{CreationInfo}}, {{TwoPackages}}, {{elements}} ] }""";

    private static SbomDocument Read(string json) => SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));
}
