using System.Globalization;

namespace Sustain.Web.Sboms;

/// <summary>How the SBOM pages word formats, hashes, sizes and times.</summary>
public static class SbomDisplay
{
    public static string Format(string? format, string? specVersion) => (format switch
    {
        "cyclonedx-json" => "CycloneDX JSON",
        "cyclonedx-xml" => "CycloneDX XML",
        "spdx-json" => "SPDX JSON",
        "spdx-tagvalue" => "SPDX tag-value",
        "spdx3-jsonld" => "SPDX 3 JSON-LD",
        null => "Unknown format",
        _ => format,
    }) + (specVersion is null ? "" : " " + specVersion);

    public static string ShortHash(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    public static string When(DateTimeOffset at, DateTimeOffset now)
    {
        var ago = now - at;
        return ago.TotalMinutes switch
        {
            < 1 => "just now",
            < 60 => $"{(int)ago.TotalMinutes} min ago",
            < 60 * 24 => $"{(int)ago.TotalHours} h ago",
            < 60 * 24 * 7 => $"{(int)ago.TotalDays} d ago",
            _ => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        };
    }

    public static string Exact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Depth(int depth) => depth switch
    {
        < 0 => "unreachable",
        0 => "root",
        1 => "direct",
        _ => depth.ToString(CultureInfo.InvariantCulture),
    };
}
