using Sustain.Core.Purls;

namespace Sustain.Core.Tests.Purls;

public class PurlTests
{
    [Fact]
    public void Reads_every_component()
    {
        var purl = Purl.Parse("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=zip&classifier=dist#docs/api");

        Assert.Equal("maven", purl.Type);
        Assert.Equal("org.apache.xmlgraphics", purl.Namespace);
        Assert.Equal("batik-anim", purl.Name);
        Assert.Equal("1.9.1", purl.Version);
        Assert.Equal(["classifier", "type"], purl.Qualifiers!.Keys);
        Assert.Equal("zip", purl.Qualifiers["type"]);
        Assert.Equal("docs/api", purl.Subpath);
    }

    [Fact]
    public void Leaves_absent_components_null()
    {
        var purl = Purl.Parse("pkg:npm/left-pad");

        Assert.Null(purl.Namespace);
        Assert.Null(purl.Version);
        Assert.Null(purl.Qualifiers);
        Assert.Null(purl.Subpath);
    }

    [Theory]
    [InlineData("pkg://maven/org.apache.commons/io@1.3.4")]
    [InlineData("pkg:///maven/org.apache.commons/io@1.3.4")]
    [InlineData("pkg:MAVEN/org.apache.commons/io@1.3.4")]
    [InlineData("pkg:maven//org.apache.commons//io@1.3.4")]
    public void Writes_the_canonical_form_of_equivalent_spellings(string text) =>
        Assert.Equal("pkg:maven/org.apache.commons/io@1.3.4", Purl.Parse(text).ToString());

    [Fact]
    public void Equal_package_urls_have_equal_canonical_forms_and_hash_codes()
    {
        var canonical = Purl.Parse("pkg:pypi/django-package@1.0?file_name=a.whl");
        var spelled = Purl.Parse("pkg:PyPI/Django_Package@1.0?file_name=a%2Ewhl");

        Assert.Equal(canonical, spelled);
        Assert.Equal(canonical.GetHashCode(), spelled.GetHashCode());
        Assert.NotEqual(canonical, Purl.Parse("pkg:pypi/django-package@1.1?file_name=a.whl"));
    }

    [Theory]
    [InlineData("pkg:generic/a@1.0%20final", "1.0 final", "pkg:generic/a@1.0%20final")]
    [InlineData("pkg:generic/a@1%2b2", "1+2", "pkg:generic/a@1%2B2")]
    [InlineData("pkg:generic/a@caf%C3%A9", "café", "pkg:generic/a@caf%C3%A9")]
    [InlineData("pkg:generic/a@café", "café", "pkg:generic/a@caf%C3%A9")]
    [InlineData("pkg:generic/a@%F0%9F%93%A6", "📦", "pkg:generic/a@%F0%9F%93%A6")]
    [InlineData("pkg:generic/a@100%25", "100%", "pkg:generic/a@100%25")]
    [InlineData("pkg:generic/a@sha256%3Aab", "sha256:ab", "pkg:generic/a@sha256:ab")]
    [InlineData("pkg:generic/a@~1.0_b", "~1.0_b", "pkg:generic/a@~1.0_b")]
    public void Decodes_then_encodes_only_what_the_specification_requires(string text, string version, string canonical)
    {
        var purl = Purl.Parse(text);

        Assert.Equal(version, purl.Version);
        Assert.Equal(canonical, purl.ToString());
    }

    [Theory]
    [InlineData("pkg:generic/a@1%zz")]
    [InlineData("pkg:generic/a@1%4")]
    [InlineData("pkg:generic/a%")]
    [InlineData("pkg:generic/a@%FF")]
    [InlineData("pkg:generic/a@%C3")]
    public void Rejects_malformed_percent_encoding(string text) =>
        Assert.False(Purl.TryParse(text, out _, out _));

    [Fact]
    public void Drops_empty_dot_and_dot_dot_subpath_segments()
    {
        var purl = Purl.Parse("pkg:golang/google.golang.org/genproto#/googleapis/./api/../annotations//");

        Assert.Equal("googleapis/api/annotations", purl.Subpath);
    }

    [Fact]
    public void Rejects_a_subpath_segment_that_decodes_to_a_slash() =>
        Assert.False(Purl.TryParse("pkg:generic/a#b%2Fc", out _, out _));

    [Fact]
    public void Encodes_an_at_sign_in_the_namespace_and_a_slash_in_the_name()
    {
        var purl = Purl.Create("npm", "@angular", "a/b", null, null, null);

        Assert.Equal("pkg:npm/%40angular/a%2Fb", purl.ToString());
        Assert.Equal("a/b", Purl.Parse(purl.ToString()).Name);
    }

    [Fact]
    public void Reads_an_unencoded_npm_scope_as_the_namespace()
    {
        var purl = Purl.Parse("pkg:npm/@babel/core");

        Assert.Equal("@babel", purl.Namespace);
        Assert.Equal("core", purl.Name);
        Assert.Null(purl.Version);
    }

    [Fact]
    public void Takes_the_last_at_sign_as_the_version_separator()
    {
        var purl = Purl.Parse("pkg:brew/node@20@20.10.0");

        Assert.Equal("node@20", purl.Name);
        Assert.Equal("20.10.0", purl.Version);
    }

    [Fact]
    public void Sorts_qualifiers_and_drops_those_without_a_value()
    {
        var purl = Purl.Parse("pkg:deb/debian/curl@7.50.3-1?distro=jessie&epoch=&arch=i386");

        Assert.Equal(["arch", "distro"], purl.Qualifiers!.Keys);
        Assert.Equal("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", purl.ToString());
    }

    [Fact]
    public void Has_no_qualifiers_when_every_value_is_empty() =>
        Assert.Null(Purl.Parse("pkg:deb/debian/curl?arch=").Qualifiers);

    [Theory]
    [InlineData("pkg:generic/a?arch=x&arch=y")]
    [InlineData("pkg:generic/a?arch")]
    [InlineData("pkg:generic/a?Arch=x")]
    [InlineData("pkg:generic/a?1arch=x")]
    [InlineData("pkg:generic/a?ar%63h=x")]
    public void Rejects_malformed_qualifiers(string text) =>
        Assert.False(Purl.TryParse(text, out _, out _));

    [Fact]
    public void Lower_cases_checksums() =>
        Assert.Equal("pkg:generic/a?checksum=sha1:ad95%2Csha256:41bf", Purl.Parse("pkg:generic/a?checksum=SHA1:AD95,sha256:41BF").ToString());

    [Theory]
    [InlineData("pkg:npm/%40Angular/Core@12.0.0-RC", "pkg:npm/%40angular/core@12.0.0-RC")]
    [InlineData("pkg:pypi/Zope.Interface__Extra@5.0RC1", "pkg:pypi/zope-interface-extra@5.0rc1")]
    [InlineData("pkg:github/Package-URL/Purl-Spec@ABC", "pkg:github/package-url/purl-spec@ABC")]
    [InlineData("pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1")]
    [InlineData("pkg:rpm/Fedora/Curl@7.50", "pkg:rpm/fedora/Curl@7.50")]
    [InlineData("pkg:cpan/drolsky/DateTime@1.55", "pkg:cpan/DROLSKY/DateTime@1.55")]
    [InlineData("pkg:huggingface/EleutherAI/gpt-neo@ABC123", "pkg:huggingface/EleutherAI/gpt-neo@abc123")]
    [InlineData("pkg:git/GitHub.com/Owner/Repo@v1", "pkg:git/github.com/owner/repo@v1")]
    public void Folds_case_as_each_type_defines(string text, string canonical) =>
        Assert.Equal(canonical, Purl.Parse(text).ToString());

    [Fact]
    public void Lower_cases_mlflow_names_only_for_databricks_registries()
    {
        Assert.Equal("model", Purl.Parse("pkg:mlflow/Model@1?repository_url=https://dbc-a1-b2.cloud.databricks.com/api/2.0/mlflow").Name);
        Assert.Equal("Model", Purl.Parse("pkg:mlflow/Model@1?repository_url=https://westus2.api.azureml.ms/mlflow/v1.0").Name);
        Assert.Equal("Model", Purl.Parse("pkg:mlflow/Model@1").Name);
    }

    [Fact]
    public void Reads_a_git_name_as_the_path_below_the_host()
    {
        var purl = Purl.Parse("pkg:git/codeberg.org/forgejo/forgejo@a72d2c0");

        Assert.Equal("codeberg.org", purl.Namespace);
        Assert.Equal("forgejo/forgejo", purl.Name);
        Assert.Equal("pkg:git/codeberg.org/forgejo/forgejo@a72d2c0", purl.ToString());
    }

    [Theory]
    [InlineData("pkg:golang/context@1", "requires a namespace")]
    [InlineData("pkg:cargo/rust-lang/rand@1", "has no namespace")]
    [InlineData("pkg:julia/Dates@1.9.0", "requires the 'uuid' qualifier")]
    [InlineData("pkg:swid/a/b/c/Name@1?tag_id=x", "at most 2 segments")]
    [InlineData("pkg:cpan/LWP::UserAgent", "'::'")]
    [InlineData("pkg:chrome-extension/dogs", "32 letters")]
    [InlineData("pkg:chrome-extension/dlpngalgnefjeiefhmpklpfiohadpglk@1.2-beta", "one to four")]
    [InlineData("pkg:cocoapods/Share+Kit@1", "'+'")]
    [InlineData("pkg:pub/flutter-foo@1", "'_'")]
    public void Enforces_type_rules_with_a_message_that_says_which(string text, string message)
    {
        Assert.False(Purl.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("npm/left-pad", "starts with 'pkg:'")]
    [InlineData("PKG:npm/left-pad", "starts with 'pkg:'")]
    [InlineData("pkg:npm", "separated by '/'")]
    [InlineData("pkg:3npm/a", "starts with an ASCII letter")]
    [InlineData("pkg:n_pm/a", "only ASCII letters")]
    [InlineData("pkg:npm/@1.0", "requires a name")]
    public void Rejects_malformed_package_urls_saying_why(string text, string message)
    {
        Assert.False(Purl.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_a_purl_exception_that_is_a_format_exception()
    {
        var exception = Assert.Throws<PurlException>(() => Purl.Parse("pkg:npm"));

        Assert.IsAssignableFrom<FormatException>(exception);
    }

    [Fact]
    public void Builds_from_decoded_parts()
    {
        var purl = Purl.Create(
            "Maven",
            "/org.apache.xmlgraphics/",
            "batik-anim",
            "1.9.1",
            new Dictionary<string, string> { ["type"] = "zip", ["classifier"] = "dist", ["empty"] = "" },
            "/docs/./api/");

        Assert.Equal("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=dist&type=zip#docs/api", purl.ToString());
    }

    [Theory]
    [InlineData(null, "a", null, "requires a type")]
    [InlineData("npm", null, null, "requires a name")]
    [InlineData("npm", "//", null, "requires a name")]
    [InlineData("vcpkg", "asio", "boost", "has no namespace")]
    public void Create_throws_a_purl_exception_saying_which_part_is_wrong(string? type, string? name, string? @namespace, string message)
    {
        var exception = Assert.Throws<PurlException>(() => Purl.Create(type!, @namespace, name!, null, null, null));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_rejects_an_upper_case_qualifier_key()
    {
        Assert.False(Purl.TryCreate("gem", null, "a", null, new Dictionary<string, string> { ["Platform"] = "java" }, null, out _, out var error));
        Assert.Contains("'Platform'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_rejects_an_unpaired_surrogate() =>
        Assert.False(Purl.TryCreate("generic", null, "a\uD800b", null, null, null, out _, out _));

    [Fact]
    public void Package_identity_drops_version_qualifiers_and_subpath()
    {
        var purl = Purl.Parse("pkg:npm/%40angular/core@12.0.0?foo=bar#lib");

        var identity = purl.WithoutVersion();

        Assert.Equal("pkg:npm/%40angular/core", identity.ToString());
        Assert.Equal("pkg:npm/%40angular/core", purl.PackageKey);
        Assert.Equal(identity.ToString(), identity.PackageKey);
        Assert.Equal(purl.PackageKey, Purl.Parse("pkg:npm/%40Angular/Core@13.1.0").PackageKey);
    }

    [Fact]
    public void Keeps_the_input_string_as_the_canonical_form_when_it_already_is_one()
    {
        var text = string.Concat("pkg:npm/", "left-pad@1.3.0");

        Assert.Same(text, Purl.Parse(text).ToString());
        Assert.NotSame(text, Purl.Parse(string.Concat("pkg:NPM/", "left-pad@1.3.0")).ToString());
    }

    [Fact]
    public void A_versionless_package_url_is_its_own_identity()
    {
        var purl = Purl.Parse("pkg:npm/left-pad");

        Assert.Same(purl, purl.WithoutVersion());
        Assert.Same(purl.ToString(), purl.PackageKey);
    }

    [Fact]
    public void A_git_package_identity_keeps_its_path_name() =>
        Assert.Equal("pkg:git/codeberg.org/forgejo/forgejo", Purl.Parse("pkg:git/codeberg.org/forgejo/forgejo@a72d2c0").PackageKey);

    [Fact]
    public void A_package_identity_is_itself_a_valid_package_url() =>
        Assert.Equal("pkg:swift/github.com/Alamofire/Alamofire", Purl.Parse(Purl.Parse("pkg:swift/github.com/Alamofire/Alamofire@5.4.3").PackageKey).ToString());

    [Theory]
    [InlineData("pkg:dotnet/Newtonsoft.Json@13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1", "dotnet", "nuget")]
    [InlineData("pkg:pip/Django_Package@1.0", "pkg:pypi/django-package@1.0", "pip", "pypi")]
    [InlineData("pkg:go/github.com/gorilla/mux@v1.8.0", "pkg:golang/github.com/gorilla/mux@v1.8.0", "go", "golang")]
    [InlineData("pkg:rubygems/rails@7.0.0", "pkg:gem/rails@7.0.0", "rubygems", "gem")]
    [InlineData("pkg:crates/serde@1.0.0", "pkg:cargo/serde@1.0.0", "crates", "cargo")]
    [InlineData("pkg:crate/serde@1.0.0", "pkg:cargo/serde@1.0.0", "crate", "cargo")]
    public void Lenient_reading_maps_non_standard_types_and_says_so(string text, string canonical, string from, string to)
    {
        Assert.True(Purl.TryParseLenient(text, out var purl, out _, out var warning));

        Assert.Equal(canonical, purl.ToString());
        Assert.Equal($"non-standard package URL type '{from}' read as '{to}'", warning);
    }

    [Fact]
    public void Strict_reading_keeps_a_non_standard_type_as_written() =>
        Assert.Equal("dotnet", Purl.Parse("pkg:dotnet/Newtonsoft.Json@13.0.1").Type);

    [Fact]
    public void Lenient_reading_of_a_valid_package_url_gives_no_warning()
    {
        Assert.True(Purl.TryParseLenient("pkg:nuget/Newtonsoft.Json@13.0.1", out var purl, out _, out var warning));

        Assert.Equal(Purl.Parse("pkg:nuget/Newtonsoft.Json@13.0.1"), purl);
        Assert.Null(warning);
    }

    [Fact]
    public void Lenient_reading_tolerates_an_upper_case_scheme()
    {
        Assert.True(Purl.TryParseLenient("PKG:npm/left-pad@1.3.0", out var purl, out _, out var warning));

        Assert.Equal("pkg:npm/left-pad@1.3.0", purl.ToString());
        Assert.Contains("'PKG:'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Lenient_reading_lower_cases_qualifier_keys_and_ignores_valueless_ones()
    {
        Assert.True(Purl.TryParseLenient("pkg:Rpm/fedora/curl@7.50?Arch=i386&debug", out var purl, out _, out var warning));

        Assert.Equal("pkg:rpm/fedora/curl@7.50?arch=i386", purl.ToString());
        Assert.Contains("qualifier key 'Arch' read as 'arch'", warning, StringComparison.Ordinal);
        Assert.Contains("qualifier 'debug' without a value ignored", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Lenient_reading_combines_warnings()
    {
        Assert.True(Purl.TryParseLenient("PKG:dotnet/Serilog@3.1.1", out var purl, out _, out var warning));

        Assert.Equal("pkg:nuget/Serilog@3.1.1", purl.ToString());
        Assert.Equal("package URL scheme 'PKG:' read as 'pkg:'; non-standard package URL type 'dotnet' read as 'nuget'", warning);
    }

    [Theory]
    [InlineData("pkg:npm")]
    [InlineData("pkg:swift/Alamofire@5.4.3")]
    [InlineData("pkg:npm/a?in%20production=true")]
    [InlineData("package:npm/a")]
    public void Lenient_reading_still_rejects_what_it_cannot_repair(string text) =>
        Assert.False(Purl.TryParseLenient(text, out _, out _, out _));

    [Theory]
    [InlineData("pkg:npm/%40babel/core@7.24.0", "@babel", "core", "7.24.0")]
    [InlineData("pkg:maven/org.apache.commons/commons-io@2.15.1?type=jar", "org.apache.commons", "commons-io", "2.15.1")]
    [InlineData("pkg:github/package-url/purl-spec@244fd47e07d1004#everybody/loves/dogs", "package-url", "purl-spec", "244fd47e07d1004")]
    [InlineData("pkg:nuget/Newtonsoft.Json@13.0.3", null, "Newtonsoft.Json", "13.0.3")]
    [InlineData("pkg:deb/debian/curl@7.50.3-1%2Bdeb9u1?arch=i386&distro=jessie", "debian", "curl", "7.50.3-1+deb9u1")]
    public void Reads_an_already_canonical_package_url_in_one_pass_and_decodes_its_parts_when_asked(string text, string? @namespace, string name, string version)
    {
        Assert.True(CanonicalPurlScanner.TryScan(text, out _, out _, out _));

        var purl = Purl.Parse(text);

        Assert.Same(text, purl.ToString());
        Assert.Equal(@namespace, purl.Namespace);
        Assert.Equal(name, purl.Name);
        Assert.Equal(version, purl.Version);
    }

    [Theory]
    [InlineData("pkg:npm/@babel/core@7.24.0")]
    [InlineData("pkg:npm/Lodash@4.17.21")]
    [InlineData("pkg:maven/org.apache.commons/commons-io@2.15.1?type=jar&classifier=sources")]
    [InlineData("pkg:deb/debian/curl@7.50.3-1+deb9u1")]
    [InlineData("pkg:generic/openssl@1.1.10g?checksum=SHA256:ABC")]
    [InlineData("pkg:generic/a%2fb@1")]
    [InlineData("pkg:golang/a%2Fb/c@1")]
    [InlineData("pkg:pypi/Django_Rest@1.0")]
    [InlineData("pkg:npm/a@")]
    [InlineData("pkg:npm//a")]
    [InlineData("pkg:dotnet/Serilog@3.1.1")]
    [InlineData("pkg:github/a/b#x/../y")]
    public void Leaves_what_is_not_already_canonical_to_the_full_parser(string text) =>
        Assert.False(CanonicalPurlScanner.TryScan(text, out _, out _, out _));
}
