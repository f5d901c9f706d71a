using CsCheck;
using Sustain.Core.Purls;

namespace Sustain.Core.Tests.Purls;

public class PurlPropertyTests
{
    private const int Iterations = 3_000;

    /// <summary>One character as a string: safe ASCII, separators and other specials, BMP and supplementary characters.</summary>
    private static readonly Gen<string> Character = Gen.OneOf(
        Gen.Char.AlphaNumeric.Select(c => c.ToString()),
        Gen.Char["-._~:@?#&=+%/ !$'()*,;[]\"<>\\^`{|}"].Select(c => c.ToString()),
        Gen.Char['\u00A0', '\uD7FF'].Select(c => c.ToString()),
        Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32));

    private static readonly Gen<string> Text = Character.Array[1, 8].Select(string.Concat);

    private static readonly Gen<string> Segment = Text.Where(s => !s.Contains('/', StringComparison.Ordinal) && s is not "." and not "..");

    private static readonly Gen<string?> Path = Segment.Array[0, 3].Select(s => s.Length == 0 ? null : string.Join('/', s));

    private static readonly Gen<string> QualifierKey = Gen.Select(
        Gen.Char['a', 'z'],
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789.-_"], 0, 6],
        (first, rest) => first + rest);

    private static readonly Gen<Dictionary<string, string>?> Qualifiers = Gen.Select(QualifierKey, Text).Array[0, 4]
        .Select(pairs => pairs.Length == 0 ? null : pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2));

    private static readonly Gen<string> Type = Gen.OneOf(
        Gen.OneOf<string>("generic", "maven", "npm", "nuget", "pypi", "github", "golang", "deb", "rpm", "git", "brew", "huggingface", "mlflow", "cpan", "swift", "cargo"),
        Gen.Select(Gen.Char['a', 'z'], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"], 0, 8], (first, rest) => first + rest));

    private static readonly Gen<(string Type, string? Namespace, string Name, string? Version, Dictionary<string, string>? Qualifiers, string? Subpath)> Parts =
        Gen.Select(
            Type,
            Path,
            Text.Where(s => s.Trim('/').Length > 0),
            Gen.Select(Gen.Bool, Text, (present, version) => present ? version : null),
            Qualifiers,
            Path,
            (type, @namespace, name, version, qualifiers, subpath) => (type, @namespace, name, version, qualifiers, subpath));

    [Fact]
    public void Any_valid_parts_build_a_generic_package_url() =>
        Parts.Sample(p => Assert.True(
            Purl.TryCreate("generic", p.Namespace, p.Name, p.Version, p.Qualifiers, p.Subpath, out _, out var error),
            error),
            iter: Iterations);

    [Fact]
    public void A_built_package_url_reads_back_from_its_canonical_form_as_an_equal_one() =>
        Parts.Sample(p =>
        {
            if (!Purl.TryCreate(p.Type, p.Namespace, p.Name, p.Version, p.Qualifiers, p.Subpath, out var built, out _))
                return;

            var read = Purl.Parse(built.ToString());

            Assert.Equal(built, read);
            Assert.Equal(built.Type, read.Type);
            Assert.Equal(built.Namespace, read.Namespace);
            Assert.Equal(built.Name, read.Name);
            Assert.Equal(built.Version, read.Version);
            Assert.Equal(built.Qualifiers?.ToList(), read.Qualifiers?.ToList());
            Assert.Equal(built.Subpath, read.Subpath);
        }, iter: Iterations);

    [Fact]
    public void Building_from_a_package_urls_own_parts_changes_nothing() =>
        Parts.Sample(p =>
        {
            if (!Purl.TryCreate(p.Type, p.Namespace, p.Name, p.Version, p.Qualifiers, p.Subpath, out var built, out _))
                return;

            var rebuilt = Purl.Create(built.Type, built.Namespace, built.Name, built.Version, built.Qualifiers, built.Subpath);

            Assert.Equal(built.ToString(), rebuilt.ToString());
        }, iter: Iterations);

    [Fact]
    public void The_canonical_form_is_a_fixed_point() =>
        Parts.Sample(p =>
        {
            if (!Purl.TryCreate(p.Type, p.Namespace, p.Name, p.Version, p.Qualifiers, p.Subpath, out var built, out _))
                return;

            var canonical = built.ToString();

            Assert.Equal(canonical, Purl.Parse(canonical).ToString());
            Assert.Equal(built.PackageKey, Purl.Parse(built.PackageKey).ToString());
        }, iter: Iterations);

    [Fact]
    public void Whatever_text_reads_as_a_package_url_has_a_canonical_form_that_is_a_fixed_point() =>
        Gen.OneOf(Character, Gen.OneOf<string>("/", "@", "?", "#", "&", "=", "%2F", "%40", "%20", "pkg:", "npm/", "git/"))
            .Array[1, 20]
            .Select(parts => "pkg:" + string.Concat(parts))
            .Sample(text =>
            {
                if (!Purl.TryParseLenient(text, out var purl, out _, out _))
                    return;

                var canonical = purl.ToString();

                Assert.True(Purl.TryParse(canonical, out var again, out var error), $"{text} → {canonical}: {error}");
                Assert.Equal(canonical, again.ToString());
            }, iter: Iterations);

    /// <summary>
    /// The one-pass reading of already canonical text must agree with the full parser on everything it accepts: the
    /// canonical forms of built package URLs, and those forms with a character changed, which it must mostly refuse.
    /// </summary>
    [Fact]
    public void Text_read_as_already_canonical_has_the_parts_and_the_form_the_full_parser_gives()
    {
        var edit = Gen.OneOf(Gen.Char["/@?#&=%.aAzZ09-_~:+ "].Select(c => c.ToString()), Gen.OneOf<string>("%2F", "%2f", "%40", "%41", "%C3%A9", "..", "//", "checksum=", "type="));
        var canonical = Parts.Select((p) => Purl.TryCreate(p.Type, p.Namespace, p.Name, p.Version, p.Qualifiers, p.Subpath, out var built, out _) ? built.ToString() : "pkg:npm/a");
        Gen.Select(canonical, Gen.Bool, Gen.Int[0, 100], edit, (text, change, at, insert) =>
                change ? text.Insert(Math.Min(at, text.Length), insert) : text)
            .Sample(text =>
            {
                if (!CanonicalPurlScanner.TryScan(text, out var type, out _, out _))
                    return;

                var fast = Purl.Parse(text);
                Assert.True(PurlParser.TryParse(text, lenient: true, out var parts, out var error, out var warning), $"{text}: {error}");
                Assert.Null(warning);
                Assert.True(PurlTypes.For(parts.Type).TryApply(ref parts, out error), $"{text}: {error}");
                // Building trims a name's slashes (the specification's rule for building); a parsed name that decodes
                // to one ("pkg:cargo/%21%2F" is "!/") keeps it, so building is no oracle for it.
                if (parts.Name.StartsWith('/') || parts.Name.EndsWith('/'))
                    return;
                var full = Purl.Create(parts.Type, parts.Namespace, parts.Name, parts.Version, parts.Qualifiers, parts.Subpath);

                Assert.Equal(text, full.ToString());
                Assert.Equal(text, fast.ToString());
                Assert.Equal(parts.Type, type);
                Assert.Equal(parts.Namespace, fast.Namespace);
                Assert.Equal(parts.Name, fast.Name);
                Assert.Equal(parts.Version, fast.Version);
                Assert.Equal(parts.Qualifiers?.ToList(), fast.Qualifiers?.ToList());
                Assert.Equal(parts.Subpath, fast.Subpath);
                Assert.Equal(full.PackageKey, fast.PackageKey);
                Assert.Equal(full.WithoutVersion().ToString(), fast.WithoutVersion().ToString());
            }, iter: Iterations * 3);
    }
}
