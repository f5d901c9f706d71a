using System.Net.Http.Headers;
using System.Text;

namespace Sustain.Web.Tests.Infrastructure;

/// <summary>Small SBOM documents written for these tests.</summary>
public static class SbomFixtures
{
    /// <summary>A CycloneDX 1.5 JSON document: an app with three components in a chain. <paramref name="marker"/> names them, so a leak can be spotted.</summary>
    public static string CycloneDxJson(string marker = "left-pad") => $$"""
        {
          "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "metadata": { "component": { "bom-ref": "app", "type": "application", "name": "{{marker}}-app" } },
          "components": [
            { "bom-ref": "a", "type": "library", "name": "{{marker}}-a", "version": "1.3.0", "purl": "pkg:npm/{{marker}}-a@1.3.0" },
            { "bom-ref": "b", "type": "library", "name": "{{marker}}-b", "version": "7.24.0", "purl": "pkg:npm/{{marker}}-b@7.24.0" },
            { "bom-ref": "c", "type": "library", "name": "{{marker}}-c", "version": "2.0.0", "purl": "pkg:npm/{{marker}}-c@2.0.0" }
          ],
          "dependencies": [
            { "ref": "app", "dependsOn": ["a"] },
            { "ref": "a", "dependsOn": ["b"] },
            { "ref": "b", "dependsOn": ["c"] }
          ]
        }
        """;

    public const string CycloneDxXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
          <components>
            <component type="library" bom-ref="pkg:maven/org.example/lib@1.0">
              <name>lib</name><version>1.0</version><purl>pkg:maven/org.example/lib@1.0</purl>
            </component>
            <component type="library" bom-ref="pkg:maven/org.example/other@2.0">
              <name>other</name><version>2.0</version><purl>pkg:maven/org.example/other@2.0</purl>
            </component>
          </components>
        </bom>
        """;

    public const string SpdxJson = """
        {
          "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
          "name": "spdx-fixture", "documentNamespace": "https://example.test/spdx-fixture",
          "creationInfo": { "created": "2024-01-01T00:00:00Z", "creators": ["Tool: hand"] },
          "documentDescribes": ["SPDXRef-app"],
          "packages": [
            { "SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0", "downloadLocation": "NOASSERTION" },
            { "SPDXID": "SPDXRef-lib", "name": "lib", "versionInfo": "2.0", "downloadLocation": "NOASSERTION",
              "externalRefs": [ { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/lib@2.0" } ] }
          ],
          "relationships": [ { "spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib" } ]
        }
        """;

    /// <summary>Well-formed JSON, but the second component's type is misspelled: the reader must refuse it and say where.</summary>
    public const string CycloneDxWithBadType = """
        {
          "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "components": [
            { "bom-ref": "a", "type": "library", "name": "fine" },
            { "bom-ref": "b", "type": "libary", "name": "broken" }
          ]
        }
        """;

    /// <summary>Cut off in the middle of the components array.</summary>
    public const string TruncatedCycloneDx = """
        {
          "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "components": [
            { "bom-ref": "a", "type": "library", "name": "fine" },
            { "bom-ref": "b", "type": "library", "na
        """;

    public static ByteArrayContent Body(string document, string mediaType = "application/vnd.cyclonedx+json") => Body(Encoding.UTF8.GetBytes(document), mediaType);

    public static ByteArrayContent Body(byte[] document, string? mediaType = "application/vnd.cyclonedx+json")
    {
        var content = new ByteArrayContent(document);
        if (mediaType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static string UploadPath(string org, string product) => $"/api/v1/orgs/{org}/products/{product}/sboms";
}
