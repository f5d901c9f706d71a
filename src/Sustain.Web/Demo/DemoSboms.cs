using System.Text.Json;

namespace Sustain.Web.Demo;

/// <summary>Two demo products' SBOMs, written as CycloneDX 1.5 from a small dependency tree of well-known packages.</summary>
internal static class DemoSboms
{
    private sealed record Package(string Purl, string Name, string Version, string License, string Repository, params string[] DependsOn);

    private static readonly Package[] Storefront =
    [
        new("pkg:npm/react@18.3.1", "react", "18.3.1", "MIT", "facebook/react", "pkg:npm/loose-envify@1.4.0"),
        new("pkg:npm/react-dom@18.3.1", "react-dom", "18.3.1", "MIT", "facebook/react", "pkg:npm/react@18.3.1", "pkg:npm/scheduler@0.23.2", "pkg:npm/loose-envify@1.4.0"),
        new("pkg:npm/scheduler@0.23.2", "scheduler", "0.23.2", "MIT", "facebook/react", "pkg:npm/loose-envify@1.4.0"),
        new("pkg:npm/loose-envify@1.4.0", "loose-envify", "1.4.0", "MIT", "zertosh/loose-envify", "pkg:npm/js-tokens@4.0.0"),
        new("pkg:npm/js-tokens@4.0.0", "js-tokens", "4.0.0", "MIT", "lydell/js-tokens"),
        new("pkg:npm/express@4.19.2", "express", "4.19.2", "MIT", "expressjs/express", "pkg:npm/body-parser@1.20.2", "pkg:npm/debug@2.6.9", "pkg:npm/qs@6.11.0", "pkg:npm/cookie@0.6.0"),
        new("pkg:npm/body-parser@1.20.2", "body-parser", "1.20.2", "MIT", "expressjs/body-parser", "pkg:npm/debug@2.6.9", "pkg:npm/qs@6.11.0", "pkg:npm/bytes@3.1.2"),
        new("pkg:npm/debug@2.6.9", "debug", "2.6.9", "MIT", "debug-js/debug", "pkg:npm/ms@2.0.0"),
        new("pkg:npm/ms@2.0.0", "ms", "2.0.0", "MIT", "vercel/ms"),
        new("pkg:npm/qs@6.11.0", "qs", "6.11.0", "BSD-3-Clause", "ljharb/qs", "pkg:npm/side-channel@1.0.6"),
        new("pkg:npm/side-channel@1.0.6", "side-channel", "1.0.6", "MIT", "ljharb/side-channel"),
        new("pkg:npm/cookie@0.6.0", "cookie", "0.6.0", "MIT", "jshttp/cookie"),
        new("pkg:npm/bytes@3.1.2", "bytes", "3.1.2", "MIT", "visionmedia/bytes.js"),
        new("pkg:npm/lodash@4.17.21", "lodash", "4.17.21", "MIT", "lodash/lodash"),
        new("pkg:npm/axios@1.7.2", "axios", "1.7.2", "MIT", "axios/axios", "pkg:npm/follow-redirects@1.15.6", "pkg:npm/form-data@4.0.0"),
        new("pkg:npm/follow-redirects@1.15.6", "follow-redirects", "1.15.6", "MIT", "follow-redirects/follow-redirects"),
        new("pkg:npm/form-data@4.0.0", "form-data", "4.0.0", "MIT", "form-data/form-data", "pkg:npm/mime-types@2.1.35"),
        new("pkg:npm/mime-types@2.1.35", "mime-types", "2.1.35", "MIT", "jshttp/mime-types", "pkg:npm/mime-db@1.52.0"),
        new("pkg:npm/mime-db@1.52.0", "mime-db", "1.52.0", "MIT", "jshttp/mime-db"),
        new("pkg:npm/%40babel/runtime@7.24.7", "runtime", "7.24.7", "MIT", "babel/babel", "pkg:npm/regenerator-runtime@0.14.1"),
        new("pkg:npm/regenerator-runtime@0.14.1", "regenerator-runtime", "0.14.1", "MIT", "facebook/regenerator"),
        new("pkg:npm/core-js@3.37.1", "core-js", "3.37.1", "MIT", "zloirock/core-js"),
        new("pkg:npm/colors@1.4.0", "colors", "1.4.0", "MIT", "Marak/colors.js"),
    ];

    private static readonly string[] StorefrontDirect = ["pkg:npm/react@18.3.1", "pkg:npm/react-dom@18.3.1", "pkg:npm/express@4.19.2", "pkg:npm/lodash@4.17.21", "pkg:npm/axios@1.7.2", "pkg:npm/%40babel/runtime@7.24.7", "pkg:npm/core-js@3.37.1", "pkg:npm/colors@1.4.0"];

    private static readonly Package[] FleetApi =
    [
        new("pkg:maven/org.springframework.boot/spring-boot-starter-web@3.3.1?type=jar", "spring-boot-starter-web", "3.3.1", "Apache-2.0", "spring-projects/spring-boot", "pkg:maven/org.springframework/spring-webmvc@6.1.10?type=jar", "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1?type=jar", "pkg:maven/org.apache.tomcat.embed/tomcat-embed-core@10.1.25?type=jar"),
        new("pkg:maven/org.springframework/spring-webmvc@6.1.10?type=jar", "spring-webmvc", "6.1.10", "Apache-2.0", "spring-projects/spring-framework", "pkg:maven/org.springframework/spring-core@6.1.10?type=jar"),
        new("pkg:maven/org.springframework/spring-core@6.1.10?type=jar", "spring-core", "6.1.10", "Apache-2.0", "spring-projects/spring-framework"),
        new("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1?type=jar", "jackson-databind", "2.17.1", "Apache-2.0", "FasterXML/jackson-databind", "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.17.1?type=jar", "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.17.1?type=jar"),
        new("pkg:maven/com.fasterxml.jackson.core/jackson-core@2.17.1?type=jar", "jackson-core", "2.17.1", "Apache-2.0", "FasterXML/jackson-core"),
        new("pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.17.1?type=jar", "jackson-annotations", "2.17.1", "Apache-2.0", "FasterXML/jackson-annotations"),
        new("pkg:maven/org.apache.tomcat.embed/tomcat-embed-core@10.1.25?type=jar", "tomcat-embed-core", "10.1.25", "Apache-2.0", "apache/tomcat"),
        new("pkg:maven/org.apache.logging.log4j/log4j-core@2.23.1?type=jar", "log4j-core", "2.23.1", "Apache-2.0", "apache/logging-log4j2", "pkg:maven/org.apache.logging.log4j/log4j-api@2.23.1?type=jar"),
        new("pkg:maven/org.apache.logging.log4j/log4j-api@2.23.1?type=jar", "log4j-api", "2.23.1", "Apache-2.0", "apache/logging-log4j2"),
        new("pkg:maven/org.postgresql/postgresql@42.7.3?type=jar", "postgresql", "42.7.3", "BSD-2-Clause", "pgjdbc/pgjdbc"),
        new("pkg:maven/com.google.guava/guava@33.2.1-jre?type=jar", "guava", "33.2.1-jre", "Apache-2.0", "google/guava", "pkg:maven/com.google.guava/failureaccess@1.0.2?type=jar"),
        new("pkg:maven/com.google.guava/failureaccess@1.0.2?type=jar", "failureaccess", "1.0.2", "Apache-2.0", "google/guava"),
        new("pkg:maven/org.bouncycastle/bcprov-jdk18on@1.78.1?type=jar", "bcprov-jdk18on", "1.78.1", "MIT", "bcgit/bc-java"),
        new("pkg:maven/org.xerial.snappy/snappy-java@1.1.10.5?type=jar", "snappy-java", "1.1.10.5", "Apache-2.0", "xerial/snappy-java"),
    ];

    private static readonly string[] FleetApiDirect =
    [
        "pkg:maven/org.springframework.boot/spring-boot-starter-web@3.3.1?type=jar", "pkg:maven/org.apache.logging.log4j/log4j-core@2.23.1?type=jar",
        "pkg:maven/org.postgresql/postgresql@42.7.3?type=jar", "pkg:maven/com.google.guava/guava@33.2.1-jre?type=jar",
        "pkg:maven/org.bouncycastle/bcprov-jdk18on@1.78.1?type=jar", "pkg:maven/org.xerial.snappy/snappy-java@1.1.10.5?type=jar",
    ];

    public static IEnumerable<(string Slug, string Name, byte[] Document)> All()
    {
        yield return ("storefront", "Storefront", CycloneDx("storefront", "1.4.0", Storefront, StorefrontDirect));
        yield return ("fleet-api", "Fleet API", CycloneDx("fleet-api", "2.1.0", FleetApi, FleetApiDirect));
    }

    private static byte[] CycloneDx(string product, string version, Package[] packages, string[] direct)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("bomFormat", "CycloneDX");
            json.WriteString("specVersion", "1.5");
            json.WriteNumber("version", 1);
            json.WriteStartObject("metadata");
            json.WriteStartObject("component");
            json.WriteString("bom-ref", product);
            json.WriteString("type", "application");
            json.WriteString("name", product);
            json.WriteString("version", version);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("components");
            foreach (var p in packages)
            {
                json.WriteStartObject();
                json.WriteString("bom-ref", p.Purl);
                json.WriteString("type", "library");
                json.WriteString("name", p.Name);
                json.WriteString("version", p.Version);
                json.WriteString("purl", p.Purl);
                json.WriteStartArray("licenses");
                json.WriteStartObject();
                json.WriteStartObject("license");
                json.WriteString("id", p.License);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartArray("externalReferences");
                json.WriteStartObject();
                json.WriteString("type", "vcs");
                json.WriteString("url", $"https://github.com/{p.Repository}");
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("dependencies");
            WriteDependency(json, product, direct);
            foreach (var p in packages)
                WriteDependency(json, p.Purl, p.DependsOn);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteDependency(Utf8JsonWriter json, string reference, string[] dependsOn)
    {
        json.WriteStartObject();
        json.WriteString("ref", reference);
        json.WriteStartArray("dependsOn");
        foreach (var d in dependsOn)
            json.WriteStringValue(d);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
