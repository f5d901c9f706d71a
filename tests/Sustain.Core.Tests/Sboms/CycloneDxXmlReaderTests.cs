using System.Text;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public class CycloneDxXmlReaderTests
{
    private const string Sha1 = "e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a";

    private static SbomDocument Read(string text, SbomReaderOptions? options = null) =>
        SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), options);

    private static SbomFormatException Refused(string text, SbomReaderOptions? options = null) =>
        Assert.Throws<SbomFormatException>(() => Read(text, options));

    private static string Bom(string body, string version = "1.6") =>
        $"""<?xml version="1.0" encoding="UTF-8"?><bom xmlns="http://cyclonedx.org/schema/bom/{version}" version="1">{body}</bom>""";

    [Fact]
    public void Reads_the_fields_of_a_component()
    {
        var document = Read(Bom($"""
            <components>
              <component type="library" bom-ref="lib-a">
                <supplier><name>Acme</name><url>https://acme.example</url></supplier>
                <group>com.acme</group>
                <name>a</name>
                <version>1.2.3</version>
                <hashes><hash alg="SHA-1">{Sha1}</hash></hashes>
                <licenses><license><id>MIT</id></license><license><name>Acme Licence</name></license></licenses>
                <purl>pkg:maven/com.acme/a@1.2.3</purl>
                <externalReferences>
                  <reference type="vcs"><url>https://github.com/acme/a</url></reference>
                  <reference type="distribution"><url>https://repo.example/a.jar</url></reference>
                </externalReferences>
              </component>
            </components>
            """));

        Assert.Equal(SbomFormat.CycloneDxXml, document.Format);
        Assert.Equal("1.6", document.SpecVersion);
        var component = Assert.Single(document.Components);
        Assert.Equal("lib-a", component.Ref);
        Assert.Equal("a", component.Name);
        Assert.Equal("1.2.3", component.Version);
        Assert.Equal("library", component.Type);
        Assert.Equal("pkg:maven/com.acme/a@1.2.3", component.PurlText);
        Assert.Equal("Acme", component.Supplier);
        Assert.Equal([new SbomHash("SHA-1", Sha1)], component.Hashes);
        Assert.Equal(["MIT", "Acme Licence"], component.Licenses);
        Assert.Equal([new ExternalReference("vcs", "https://github.com/acme/a"), new ExternalReference("distribution", "https://repo.example/a.jar")], component.ExternalReferences);
    }

    [Fact]
    public void Reads_hash_and_url_text_split_by_entities_and_cdata_and_trims_it()
    {
        var longUrl = "https://example.org/" + new string('x', 600);
        var document = Read(Bom($"""
            <components>
              <component type="library">
                <name>a</name>
                <hashes><hash alg="SHA-1">
                  <![CDATA[{Sha1[..20]}]]>{Sha1[20..]}
                </hash></hashes>
                <externalReferences>
                  <reference type="website"><url> https://example.org/?a=1&amp;b=2 </url></reference>
                  <reference type="vcs"><url>https://ignored.example</url><url>{longUrl}</url></reference>
                  <reference type="other"><url/></reference>
                </externalReferences>
              </component>
            </components>
            """));

        var component = Assert.Single(document.Components);
        Assert.Equal([new SbomHash("SHA-1", Sha1)], component.Hashes);
        Assert.Equal(
            [new ExternalReference("website", "https://example.org/?a=1&b=2"), new ExternalReference("vcs", longUrl), new ExternalReference("other", string.Empty)],
            component.ExternalReferences);
    }

    [Fact]
    public void Refuses_a_hash_with_an_element_inside()
    {
        var error = Refused(Bom($"""<components><component type="library"><name>a</name><hashes><hash alg="SHA-1">{Sha1}<b/></hash></hashes></component></components>"""));

        Assert.Contains("line 1", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_licence_expression()
    {
        var document = Read(Bom("""<components><component type="library"><name>a</name><licenses><expression>MIT OR Apache-2.0</expression></licenses></component></components>"""));

        Assert.Equal(["MIT OR Apache-2.0"], Assert.Single(document.Components).Licenses);
    }

    [Fact]
    public void Reads_nested_components_as_components_after_their_parent()
    {
        var document = Read(Bom("""
            <components>
              <component type="application" bom-ref="parent"><name>p</name>
                <components><component type="library" bom-ref="child"><name>c</name></component></components>
              </component>
              <component type="library" bom-ref="sibling"><name>s</name></component>
            </components>
            """));

        Assert.Equal(["parent", "child", "sibling"], document.Components.Select(c => c.Ref));
        Assert.Empty(document.Edges);
    }

    [Fact]
    public void Reads_the_metadata_component_and_dependencies()
    {
        var document = Read(Bom("""
            <metadata><timestamp>2024-01-31T12:00:00Z</timestamp><component type="application" bom-ref="app"><name>Acme App</name></component></metadata>
            <components><component type="library" bom-ref="a"><name>a</name></component><component type="library" bom-ref="b"><name>b</name></component></components>
            <dependencies>
              <dependency ref="app"><dependency ref="a"/></dependency>
              <dependency ref="a"><dependency ref="b"/></dependency>
              <dependency ref="b"/>
            </dependencies>
            """, version: "1.4"));

        Assert.Equal("1.4", document.SpecVersion);
        Assert.Equal("Acme App", document.Name);
        Assert.True(document.Components[Assert.Single(document.Roots)].IsMetadataComponent);
        Assert.Equal(2, document.ComponentCount);
        Assert.True(document.HasDependencyGraph);
        Assert.Equal([("app", "a"), ("a", "b")], document.Edges.Select(e => (document.Components[e.From].Ref, document.Components[e.To].Ref)));
    }

    [Fact]
    public void Reads_version_1_1_and_ignores_elements_of_other_namespaces()
    {
        var document = Read("""
            <bom xmlns="http://cyclonedx.org/schema/bom/1.1" xmlns:x="urn:example:extension" version="1">
              <components>
                <component type="library"><x:note>vendor data</x:note><name>a</name><version>1</version><purl>pkg:composer/a/a@1</purl></component>
              </components>
            </bom>
            """);

        Assert.Equal("1.1", document.SpecVersion);
        Assert.Equal("pkg:composer/a/a@1", Assert.Single(document.Components).PurlText);
        Assert.False(document.HasDependencyGraph);
    }

    [Fact]
    public void Reads_utf16_through_the_public_entry_point()
    {
        var xml = """<?xml version="1.0" encoding="UTF-16"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component type="library"><name>café</name></component></components></bom>""";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml)).ToArray();

        var document = SbomReader.Read(new MemoryStream(bytes));

        Assert.Equal("café", Assert.Single(document.Components).Name);
    }

    [Fact]
    public void Refuses_a_dtd_instead_of_expanding_its_entities()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE bom [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
            <bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>&b;</name></component></components></bom>
            """;

        var error = Refused(xml);

        Assert.Contains("DTD (<!DOCTYPE> before its root element)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<bom xmlns="http://example.com/not-cyclonedx"/>""", "line 1, column 2", "not a CycloneDX document: root element 'bom' in namespace 'http://example.com/not-cyclonedx'")]
    [InlineData("""<project xmlns="http://maven.apache.org/POM/4.0.0"/>""", "line 1, column 2", "not a CycloneDX document: root element 'project'")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.9"/>""", "line 1, column 2", "unsupported CycloneDX version '1.9'")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:42"/>""", "line 1, column 2", "serialNumber 'urn:uuid:42'")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component><name>a</name></component></components></bom>""", "line 1, column 63", "has no type attribute")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="gadget"><name>a</name></component></components></bom>""", "line 1, column 63", "'gadget' is not a CycloneDX component type")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="data"><name>a</name></component></components></bom>""", "line 1, column 63", "exists from CycloneDX 1.5")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"/></components></bom>""", "line 1, column 63", "has no name")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>a</name><scope>sometimes</scope></component></components></bom>""", "line 1, column 103", "'sometimes' is not a CycloneDX scope")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>a</name><hashes><hash alg="MD5">abc</hash></hashes></component></components></bom>""", "line 1, column 111", "MD5 hashes are 32 hexadecimal digits")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>a</name><licenses><license><id>MIT</id><id>MIT</id></license></licenses></component></components></bom>""", "line 1, column 134", "more than one <id>")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>a</name><licenses><license/></licenses></component></components></bom>""", "line 1, column 113", "neither <id> nor <name>")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><dependencies><dependency ref="a"><dependency/></dependency></dependencies></bom>""", "line 1, column 85", "has no ref attribute")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><metadata><timestamp>2024-01-31</timestamp></metadata></bom>""", "line 1, column 61", "is not a date and time")]
    [InlineData("""<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>a</name></components></bom>""", "line 1, column", "invalid XML")]
    public void Refuses_a_bad_document_saying_where_and_what(string xml, string location, string problem)
    {
        var error = Refused(xml);

        Assert.StartsWith(location, error.Location, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_the_nesting_limit_even_inside_elements_it_skips()
    {
        var deep = string.Concat(Enumerable.Repeat("<x:deep>", 40)) + string.Concat(Enumerable.Repeat("</x:deep>", 40));
        var xml = $"""<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:x="urn:example"><components><component type="library"><name>a</name>{deep}</component></components></bom>""";

        var error = Refused(xml, new SbomReaderOptions { MaxDepth = 16 });

        Assert.StartsWith("line 1, column", error.Location, StringComparison.Ordinal);
        Assert.Contains("nested more than 16 deep", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_the_component_limit()
    {
        var components = string.Concat(Enumerable.Range(0, 11).Select(i => $"""<component type="library"><name>c{i}</name></component>"""));

        var error = Assert.Throws<SbomLimitExceededException>(() => Read(Bom($"<components>{components}</components>"), new SbomReaderOptions { MaxComponents = 10 }));

        Assert.Contains("10 components", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_the_size_limit()
    {
        var components = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"""<component type="library"><name>c{i}</name></component>"""));

        var error = Assert.Throws<SbomLimitExceededException>(() => Read(Bom($"<components>{components}</components>"), new SbomReaderOptions { MaxBytes = 100_000 }));

        Assert.Contains("100,000 bytes", error.Message, StringComparison.Ordinal);
    }
}
