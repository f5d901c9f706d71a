using System.Text;
using System.Text.RegularExpressions;

namespace Sustain.Web.Organisations;

/// <summary>Names in URLs: lower-case letters, digits and single hyphens, 1 to 64 characters.</summary>
public static partial class Slugs
{
    public static bool IsValid(string? slug) => slug is not null && Pattern().IsMatch(slug);

    public const string Rule = "lower-case letters, digits and hyphens, 1 to 64 characters, starting and ending with a letter or digit";

    public static string From(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
                sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-' && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
                sb.Append('-');
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length > 64)
            slug = slug[..64].TrimEnd('-');
        return slug.Length == 0 ? "org" : slug;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex Pattern();
}
