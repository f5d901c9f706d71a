using System.Text;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public class CycloneDxJsonReaderTests
{
    private const string Sha1 = "e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a";

    internal static SbomDocument Read(string text, SbomReaderOptions? options = null) =>
        SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), options);

    internal static SbomFormatException Refused(string text, SbomReaderOptions? options = null) =>
        Assert.Throws<SbomFormatException>(() => Read(text, options));

    private static string Bom(string body, string version = "1.6") =>
        $$"""{ "bomFormat": "CycloneDX", "specVersion": "{{version}}", "version": 1{{(body.Length == 0 ? "" : ", " + body)}} }""";

    private static string Components(params string[] components) => Bom($"\"components\": [{string.Join(", ", components)}]");

    [Fact]
    public void Reads_the_fields_of_a_component()
    {
        var document = Read(Components($$"""
            {
              "type": "library", "bom-ref": "lib-a", "name": "a", "version": "1.2.3",
              "purl": "pkg:npm/a@1.2.3",
              "supplier": { "name": "Acme", "url": ["https://acme.example"] },
              "hashes": [ { "alg": "SHA-1", "content": "{{Sha1}}" } ],
              "licenses": [ { "license": { "id": "MIT" } }, { "license": { "name": "Acme Licence" } } ],
              "externalReferences": [
                { "type": "vcs", "url": "https://github.com/acme/a" },
                { "type": "website", "url": "https://a.example" },
                { "type": "source-distribution", "url": "https://a.example/a.tgz" }
              ]
            }
            """));

        Assert.Equal(SbomFormat.CycloneDxJson, document.Format);
        Assert.Equal("1.6", document.SpecVersion);
        var component = Assert.Single(document.Components);
        Assert.Equal("lib-a", component.Ref);
        Assert.Equal("a", component.Name);
        Assert.Equal("1.2.3", component.Version);
        Assert.Equal("library", component.Type);
        Assert.Equal("pkg:npm/a@1.2.3", component.PurlText);
        Assert.Equal("Acme", component.Supplier);
        Assert.Equal([new SbomHash("SHA-1", Sha1)], component.Hashes);
        Assert.Equal(["MIT", "Acme Licence"], component.Licenses);
        Assert.Equal(
            [new ExternalReference("vcs", "https://github.com/acme/a"), new ExternalReference("website", "https://a.example"), new ExternalReference("source-distribution", "https://a.example/a.tgz")],
            component.ExternalReferences);
        Assert.False(component.IsMetadataComponent);
    }

    [Fact]
    public void Reads_a_reference_url_longer_than_the_first_block_of_packed_text()
    {
        var url = "https://example.org/" + new string('a', 3000);
        var document = Read(Components($$"""{ "type": "library", "name": "a", "externalReferences": [ { "type": "website", "url": "{{url}}" } ] }"""));

        Assert.Equal([new ExternalReference("website", url)], Assert.Single(document.Components).ExternalReferences);
    }

    [Fact]
    public void Gives_the_same_component_each_time_it_is_asked_for()
    {
        var document = Read(Components(
            """{ "type": "library", "bom-ref": "a", "name": "a", "purl": "pkg:npm/a@1.0.0" }""",
            """{ "type": "library", "bom-ref": "b", "name": "b", "purl": "pkg:npm/b@2.0.0" }"""));

        Assert.Same(document.Components[1], document.Components[1]);
        Assert.Same(document.Components[0], Assert.Single(document.Components, c => c.Ref == "a"));
        Assert.Equal(["a", "b"], document.Components.Select(c => c.Ref));
        Assert.Equal("pkg:npm/b@2.0.0", document.Components[1].Purl!.ToString());
    }

    [Fact]
    public void Reads_a_licence_expression()
    {
        var document = Read(Components("""{ "type": "library", "name": "a", "licenses": [ { "expression": "MIT OR Apache-2.0" } ] }"""));

        Assert.Equal(["MIT OR Apache-2.0"], Assert.Single(document.Components).Licenses);
    }

    [Fact]
    public void Gives_a_component_without_a_bom_ref_a_generated_one()
    {
        var document = Read(Components("""{ "type": "library", "name": "a" }""", """{ "type": "library", "name": "b", "bom-ref": null }"""));

        Assert.Equal(2, document.Components.Select(c => c.Ref).Distinct().Count());
        Assert.All(document.Components, c => Assert.StartsWith("sustain:generated:", c.Ref, StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_nested_components_as_components_after_their_parent()
    {
        var document = Read(Components("""
            { "type": "application", "bom-ref": "parent", "components": [
                { "type": "library", "bom-ref": "child", "components": [ { "type": "file", "bom-ref": "grandchild", "name": "g" } ], "name": "c" }
              ], "name": "p" }
            """, """{ "type": "library", "bom-ref": "sibling", "name": "s" }"""));

        Assert.Equal(["parent", "child", "grandchild", "sibling"], document.Components.Select(c => c.Ref));
        Assert.Equal(4, document.ComponentCount);
        Assert.Empty(document.Edges);
    }

    [Fact]
    public void Reads_the_metadata_component_as_the_root_and_the_name()
    {
        var document = Read(Bom("""
            "metadata": { "timestamp": "2024-01-31T12:00:00Z", "component": { "type": "application", "bom-ref": "app", "name": "Acme App", "version": "2.0" } },
            "components": [ { "type": "library", "bom-ref": "lib", "name": "lib" } ]
            """));

        Assert.Equal("Acme App", document.Name);
        var root = document.Components[Assert.Single(document.Roots)];
        Assert.Equal("app", root.Ref);
        Assert.True(root.IsMetadataComponent);
        Assert.Equal(1, document.ComponentCount);
    }

    [Fact]
    public void Reads_dependencies_as_edges()
    {
        var document = Read(Bom("""
            "metadata": { "component": { "type": "application", "bom-ref": "app", "name": "app" } },
            "components": [ { "type": "library", "bom-ref": "a", "name": "a" }, { "type": "library", "bom-ref": "b", "name": "b" } ],
            "dependencies": [ { "ref": "app", "dependsOn": ["a"] }, { "dependsOn": ["b"], "ref": "a" }, { "ref": "b" } ]
            """));

        Assert.True(document.HasDependencyGraph);
        var edges = document.Edges.Select(e => (document.Components[e.From].Ref, document.Components[e.To].Ref, e.Kind));
        Assert.Equal([("app", "a", DependencyKind.DependsOn), ("a", "b", DependencyKind.DependsOn)], edges);
    }

    [Fact]
    public void An_empty_dependencies_section_still_means_a_graph()
    {
        Assert.True(Read(Bom("\"components\": [], \"dependencies\": []")).HasDependencyGraph);
        Assert.False(Read(Bom("\"components\": []")).HasDependencyGraph);
    }

    [Fact]
    public void Skips_edges_to_services_with_a_warning_rather_than_calling_them_dangling()
    {
        var document = Read(Bom("""
            "components": [ { "type": "library", "bom-ref": "a", "name": "a" } ],
            "services": [ { "bom-ref": "svc", "name": "Stock ticker", "services": [ { "bom-ref": "inner", "name": "inner" } ] } ],
            "dependencies": [ { "ref": "a", "dependsOn": ["svc", "inner"] } ]
            """));

        Assert.Equal(1, document.ComponentCount);
        Assert.Empty(document.Edges);
        Assert.Contains(document.Warnings, w => w.Message.Contains("2 dependency edges name services", StringComparison.Ordinal));
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("not a component", StringComparison.Ordinal));
    }

    [Fact]
    public void Keeps_the_first_of_two_components_with_one_bom_ref_and_warns()
    {
        var document = Read(Components("""{ "type": "library", "bom-ref": "x", "name": "first" }""", """{ "type": "library", "bom-ref": "x", "name": "second" }"""));

        Assert.Equal("first", Assert.Single(document.Components).Name);
        Assert.Contains(document.Warnings, w => w.ToString().Contains("duplicate component 'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_a_specVersion_that_comes_after_the_components()
    {
        var document = Read("""{ "components": [ { "type": "data", "name": "d" } ], "bomFormat": "CycloneDX", "specVersion": "1.5" }""");

        Assert.Equal("1.5", document.SpecVersion);
        Assert.Equal("data", Assert.Single(document.Components).Type);
    }

    [Fact]
    public void Checks_a_component_type_against_a_specVersion_that_comes_later()
    {
        var error = Refused("""{ "components": [ { "type": "data", "name": "d" } ], "bomFormat": "CycloneDX", "specVersion": "1.4" }""");

        Assert.Equal("$.components[0].type", error.Location);
        Assert.Contains("from CycloneDX 1.5", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_utf16_through_the_public_entry_point()
    {
        var json = Components("""{ "type": "library", "name": "caf\u00e9", "purl": "pkg:npm/cafe@1.0.0" }""");
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(json)).ToArray();

        var document = SbomReader.Read(new MemoryStream(bytes));

        Assert.Equal("café", Assert.Single(document.Components).Name);
    }

    [Theory]
    [InlineData("""{ "bomFormat": "SPDX", "specVersion": "1.6" }""", "$.bomFormat", "expected \"CycloneDX\"")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "2.9" }""", "$.specVersion", "unsupported CycloneDX version '2.9'")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.1" }""", "$.specVersion", "unsupported CycloneDX version '1.1'")]
    [InlineData("""{ "bomFormat": "CycloneDX" }""", "$", "no specVersion")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": "urn:uuid:1234" }""", "$.serialNumber", "is not a serial number")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": { "timestamp": "yesterday" } }""", "$.metadata.timestamp", "is not a date and time")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": {} }""", "$.components", "expected an array, found an object")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "name": "a" } ] }""", "$.components[0]", "has no type")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "gadget", "name": "a" } ] }""", "$.components[0].type", "'gadget' is not a CycloneDX component type")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.4", "components": [ { "type": "cryptographic-asset", "name": "a" } ] }""", "$.components[0].type", "exists from CycloneDX 1.6")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library" } ] }""", "$.components[0]", "has no name")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": 7 } ] }""", "$.components[0].name", "expected a string, found a number")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "scope": "sometimes" } ] }""", "$.components[0].scope", "'sometimes' is not a CycloneDX scope")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "hashes": [ { "alg": "CRC32", "content": "abcd" } ] } ] }""", "$.components[0].hashes[0].alg", "'CRC32' is not a CycloneDX hash algorithm")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "hashes": [ { "alg": "SHA-256", "content": "e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a" } ] } ] }""", "$.components[0].hashes[0].content", "SHA-256 hashes are 64 hexadecimal digits")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "hashes": [ { "alg": "SHA-1", "content": "z6b1000b94e835ffd37f4c6dcbdad43f4b48a02a" } ] } ] }""", "$.components[0].hashes[0].content", "is not hexadecimal")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "licenses": [ { "license": { } } ] } ] }""", "$.components[0].licenses[0].license", "neither 'id' nor 'name'")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "licenses": [ { "license": { "id": "MIT", "name": "MIT" } } ] } ] }""", "$.components[0].licenses[0].license", "both 'id' and 'name'")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "licenses": [ { "expression": "MIT" }, { "expression": "ISC" } ] } ] }""", "$.components[0].licenses", "must be the only entry")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "bom-ref": "" } ] }""", "$.components[0].bom-ref", "cannot be empty")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "dependencies": [ { "dependsOn": [ "a" ] } ] }""", "$.dependencies[0]", "has no ref")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "dependencies": [ { "ref": null, "dependsOn": [ "a" ] } ] }""", "$.dependencies[0]", "has no ref")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "dependencies": [ { "ref": "", "dependsOn": [ "a" ] } ] }""", "$.dependencies[0].ref", "a dependency ref cannot be empty")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "dependencies": [ { "ref": "a", "dependsOn": [ { "ref": "b" } ] } ] }""", "$.dependencies[0].dependsOn[0]", "expected a component reference (a string), found an object")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "dependencies": [ { "ref": "a", "dependsOn": [ 42 ] } ] }""", "$.dependencies[0].dependsOn[0]", "found a number")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ """, "line 1, column", "invalid JSON")]
    [InlineData("""{ "bomFormat": "CycloneDX", /* not JSON */ "specVersion": "1.6" }""", "line 1, column 29", "invalid JSON")]
    public void Refuses_a_bad_document_saying_where_and_what(string json, string location, string problem)
    {
        var error = Refused(json);

        Assert.StartsWith(location, error.Location, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"name\": \"a\u00FF\"", "\"name\"")]
    [InlineData("\"name\": \"a\", \"bom-ref\": \"r\u00FF\"", "\"bom-ref\"")]
    [InlineData("\"name\": \"a\", \"purl\": \"pkg:npm/a\u00FF@1\"", "\"purl\"")]
    [InlineData("\"name\": \"a\", \"externalReferences\": [ { \"type\": \"vcs\", \"url\": \"https://x/\u00FF\" } ]", "\"url\"")]
    [InlineData("\"name\": \"a\", \"version\": \"1\u00FF\"", "\"version\"")]
    public void Refuses_a_string_that_is_not_UTF_8_saying_at_which_byte(string properties, string after)
    {
        // U+00FF stands for a lone 0xFF byte, which no UTF-8 text contains.
        var text = Components($$"""{ "type": "library", {{properties}} }""");
        var bytes = Encoding.Latin1.GetBytes(text);
        var at = text.IndexOf('\u00FF', StringComparison.Ordinal);

        var error = Assert.Throws<SbomFormatException>(() => SbomReader.Read(new MemoryStream(bytes)));

        Assert.Contains("is not valid UTF-8", error.Problem, StringComparison.Ordinal);
        var start = int.Parse(error.Location["byte ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(start, text.IndexOf(after, StringComparison.Ordinal) + after.Length, at + 1);
    }

    [Theory]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "x\ud800y": 1 } ] }""")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "library", "name": "a", "hashes": [ { "\ud800": "a" } ] } ] }""")]
    public void Refuses_an_escaped_lone_surrogate_in_a_property_name(string json)
    {
        var error = Refused(json);

        Assert.Equal("the property name is not valid UTF-8", error.Problem);
        Assert.StartsWith("byte ", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_escaped_lone_surrogate_in_a_kept_string()
    {
        var error = Refused(Components("""{ "type": "library", "name": "a", "purl": "pkg:npm/a\ud800@1" }"""));

        Assert.Contains("is not valid UTF-8", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_several_licence_expressions_before_1_5()
    {
        var document = Read(Bom("""
            "components": [ { "type": "library", "name": "a", "licenses": [ { "expression": "MIT" }, { "expression": "ISC" } ] } ]
            """, version: "1.4"));

        Assert.Equal(["MIT", "ISC"], Assert.Single(document.Components).Licenses);
    }

    [Fact]
    public void Enforces_the_nesting_limit()
    {
        var nested = string.Concat(Enumerable.Repeat("""{ "type": "library", "name": "n", "components": [""", 20)) + string.Concat(Enumerable.Repeat("]}", 20));

        var error = Refused(Bom($"\"components\": [{nested}]"), new SbomReaderOptions { MaxDepth = 16 });

        Assert.Contains("depth", error.Problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Enforces_the_component_limit()
    {
        var components = Enumerable.Range(0, 11).Select(i => $$"""{ "type": "library", "name": "c{{i}}" }""").ToArray();

        var error = Assert.Throws<SbomLimitExceededException>(() => Read(Components(components), new SbomReaderOptions { MaxComponents = 10 }));

        Assert.Contains("10 components", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_the_size_limit()
    {
        var components = Enumerable.Range(0, 5_000).Select(i => $$"""{ "type": "library", "name": "c{{i}}" }""").ToArray();

        var error = Assert.Throws<SbomLimitExceededException>(() => Read(Components(components), new SbomReaderOptions { MaxBytes = 100_000 }));

        Assert.Contains("100,000 bytes", error.Message, StringComparison.Ordinal);
    }
}
