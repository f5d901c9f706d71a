using System.Globalization;
using System.Text;
using System.Xml;

namespace Sustain.Benchmarks;

/// <summary>
/// A generated SBOM shaped like a real one: npm and maven package URLs, licences, hashes, VCS and
/// website references, and a dependency DAG with a few edges per component. Deterministic for a seed.
/// </summary>
public sealed class SyntheticSbom
{
    private readonly int _count;
    private readonly int[][] _dependsOn;

    public SyntheticSbom(int components, int edgesPerComponent = 3, int seed = 42)
    {
        _count = components;
        var random = new Random(seed);
        _dependsOn = new int[components][];
        for (var i = 0; i < components; i++)
        {
            var n = i + 1 >= components ? 0 : Math.Min(edgesPerComponent, components - i - 1);
            var targets = new HashSet<int>();
            while (targets.Count < n)
                targets.Add(random.Next(i + 1, components));
            _dependsOn[i] = [.. targets.Order()];
        }
    }

    public int EdgeCount => _dependsOn.Sum(d => d.Length) + Math.Min(_count, 20);

    private static string Purl(int i) => i % 3 == 0
        ? $"pkg:maven/org.example.group{i % 97}/artifact-{i}@1.{i % 10}.{i % 7}?type=jar"
        : $"pkg:npm/%40scope{i % 89}/package-{i}@{i % 5}.{i % 11}.{i % 13}";

    private static string Ref(int i) => "component-" + i.ToString(CultureInfo.InvariantCulture);

    private static string Hash(int i) => i.ToString("x8", CultureInfo.InvariantCulture).PadLeft(64, 'a');

    /// <summary>The root depends on the first 20 components; each component on a few later ones.</summary>
    private IEnumerable<int> RootDependencies => Enumerable.Range(0, Math.Min(_count, 20));

    public byte[] CycloneDxJson()
    {
        var sb = new StringBuilder(_count * 600);
        sb.Append("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\",\"version\":1,");
        sb.Append("\"metadata\":{\"timestamp\":\"2024-01-01T00:00:00Z\",\"component\":{\"bom-ref\":\"root\",\"type\":\"application\",\"name\":\"synthetic\",\"version\":\"1.0.0\"}},\"components\":[");
        for (var i = 0; i < _count; i++)
        {
            if (i > 0)
                sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $"{{\"bom-ref\":\"{Ref(i)}\",\"type\":\"library\",\"name\":\"package-{i}\",\"version\":\"1.{i % 10}.{i % 7}\",");
            sb.Append(CultureInfo.InvariantCulture, $"\"description\":\"A synthetic package number {i} for benchmarks\",\"purl\":\"{Purl(i)}\",");
            sb.Append(CultureInfo.InvariantCulture, $"\"hashes\":[{{\"alg\":\"SHA-256\",\"content\":\"{Hash(i)}\"}}],");
            sb.Append("\"licenses\":[{\"license\":{\"id\":\"MIT\"}}],");
            sb.Append(CultureInfo.InvariantCulture, $"\"externalReferences\":[{{\"type\":\"vcs\",\"url\":\"https://github.com/example/package-{i}.git\"}},{{\"type\":\"website\",\"url\":\"https://example.org/package-{i}\"}}]}}");
        }

        sb.Append("],\"dependencies\":[");
        sb.Append("{\"ref\":\"root\",\"dependsOn\":[").AppendJoin(',', RootDependencies.Select(d => $"\"{Ref(d)}\"")).Append("]}");
        for (var i = 0; i < _count; i++)
            sb.Append(",{\"ref\":\"").Append(Ref(i)).Append("\",\"dependsOn\":[").AppendJoin(',', _dependsOn[i].Select(d => $"\"{Ref(d)}\"")).Append("]}");
        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public byte[] SpdxJson()
    {
        var sb = new StringBuilder(_count * 700);
        sb.Append("{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"synthetic\",\"documentNamespace\":\"https://example.org/spdx/synthetic\",");
        sb.Append("\"creationInfo\":{\"created\":\"2024-01-01T00:00:00Z\",\"creators\":[\"Tool: sustain-benchmarks\"]},\"documentDescribes\":[\"SPDXRef-root\"],\"packages\":[");
        sb.Append("{\"SPDXID\":\"SPDXRef-root\",\"name\":\"synthetic\",\"versionInfo\":\"1.0.0\",\"downloadLocation\":\"NOASSERTION\"}");
        for (var i = 0; i < _count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $",{{\"SPDXID\":\"SPDXRef-{Ref(i)}\",\"name\":\"package-{i}\",\"versionInfo\":\"1.{i % 10}.{i % 7}\",");
            sb.Append(CultureInfo.InvariantCulture, $"\"downloadLocation\":\"git+https://github.com/example/package-{i}.git\",\"homepage\":\"https://example.org/package-{i}\",");
            sb.Append("\"licenseConcluded\":\"MIT\",\"licenseDeclared\":\"MIT\",\"copyrightText\":\"NOASSERTION\",");
            sb.Append(CultureInfo.InvariantCulture, $"\"checksums\":[{{\"algorithm\":\"SHA256\",\"checksumValue\":\"{Hash(i)}\"}}],");
            sb.Append(CultureInfo.InvariantCulture, $"\"externalRefs\":[{{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":\"{Purl(i)}\"}}]}}");
        }

        sb.Append("],\"relationships\":[");
        sb.Append("{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\",\"relatedSpdxElement\":\"SPDXRef-root\"}");
        foreach (var d in RootDependencies)
            sb.Append(CultureInfo.InvariantCulture, $",{{\"spdxElementId\":\"SPDXRef-root\",\"relationshipType\":\"DEPENDS_ON\",\"relatedSpdxElement\":\"SPDXRef-{Ref(d)}\"}}");
        for (var i = 0; i < _count; i++)
        {
            foreach (var d in _dependsOn[i])
                sb.Append(CultureInfo.InvariantCulture, $",{{\"spdxElementId\":\"SPDXRef-{Ref(i)}\",\"relationshipType\":\"DEPENDS_ON\",\"relatedSpdxElement\":\"SPDXRef-{Ref(d)}\"}}");
        }

        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public byte[] CycloneDxXml()
    {
        const string ns = "http://cyclonedx.org/schema/bom/1.5";
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("bom", ns);
            xml.WriteAttributeString("serialNumber", "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
            xml.WriteAttributeString("version", "1");
            xml.WriteStartElement("metadata", ns);
            xml.WriteElementString("timestamp", ns, "2024-01-01T00:00:00Z");
            xml.WriteStartElement("component", ns);
            xml.WriteAttributeString("type", "application");
            xml.WriteAttributeString("bom-ref", "root");
            xml.WriteElementString("name", ns, "synthetic");
            xml.WriteElementString("version", ns, "1.0.0");
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteStartElement("components", ns);
            for (var i = 0; i < _count; i++)
            {
                xml.WriteStartElement("component", ns);
                xml.WriteAttributeString("type", "library");
                xml.WriteAttributeString("bom-ref", Ref(i));
                xml.WriteElementString("name", ns, $"package-{i}");
                xml.WriteElementString("version", ns, $"1.{i % 10}.{i % 7}");
                xml.WriteElementString("description", ns, $"A synthetic package number {i} for benchmarks");
                xml.WriteStartElement("hashes", ns);
                xml.WriteStartElement("hash", ns);
                xml.WriteAttributeString("alg", "SHA-256");
                xml.WriteString(Hash(i));
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteStartElement("licenses", ns);
                xml.WriteStartElement("license", ns);
                xml.WriteElementString("id", ns, "MIT");
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteElementString("purl", ns, Purl(i));
                xml.WriteStartElement("externalReferences", ns);
                WriteReference(xml, ns, "vcs", $"https://github.com/example/package-{i}.git");
                WriteReference(xml, ns, "website", $"https://example.org/package-{i}");
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteStartElement("dependencies", ns);
            WriteDependency(xml, ns, "root", RootDependencies);
            for (var i = 0; i < _count; i++)
                WriteDependency(xml, ns, Ref(i), _dependsOn[i]);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }

    private static void WriteReference(XmlWriter xml, string ns, string type, string url)
    {
        xml.WriteStartElement("reference", ns);
        xml.WriteAttributeString("type", type);
        xml.WriteElementString("url", ns, url);
        xml.WriteEndElement();
    }

    private static void WriteDependency(XmlWriter xml, string ns, string reference, IEnumerable<int> dependsOn)
    {
        xml.WriteStartElement("dependency", ns);
        xml.WriteAttributeString("ref", reference);
        foreach (var d in dependsOn)
        {
            xml.WriteStartElement("dependency", ns);
            xml.WriteAttributeString("ref", Ref(d));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }
}
