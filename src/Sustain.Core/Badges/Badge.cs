using System.Globalization;
using System.Security;
using System.Text;

namespace Sustain.Core.Badges;

/// <summary>The colour of a badge's message half.</summary>
public enum BadgeTone
{
    /// <summary>Funded, giving back.</summary>
    Good,

    /// <summary>Some, not enough.</summary>
    Fair,

    /// <summary>Nothing yet.</summary>
    Poor,

    /// <summary>Not known or not public.</summary>
    Neutral,
}

/// <summary>
/// A two-part badge ("sustain | USD 1,200 / year") as a self-contained SVG, in the flat style
/// README badges use. Text is measured with Verdana 11px advance widths, so the badge fits its words
/// without a browser to measure them.
/// </summary>
public static class Badge
{
    private const double Padding = 6;
    private const double FallbackWidth = 7.0;

    // Verdana 11px advance widths for ' ' (32) to '~' (126).
    private static readonly double[] AsciiWidths =
    [
        3.87, 4.33, 5.05, 9.00, 6.99, 11.84, 7.99, 2.95, 4.99, 4.99, 6.99, 9.00, 4.00, 4.99, 4.00, 4.99,
        6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 4.99, 4.99, 9.00, 9.00, 9.00, 5.99,
        11.00, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.00, 7.62, 6.12, 9.27, 8.23, 8.66,
        6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 4.99, 4.99, 4.99, 9.00, 6.99,
        6.99, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.75, 6.96, 6.68,
        6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 8.98, 6.51, 6.51, 5.78, 6.98, 4.99, 6.98, 9.00,
    ];

    public static string ColourOf(BadgeTone tone) => tone switch
    {
        BadgeTone.Good => "#2e7d32",
        BadgeTone.Fair => "#b26a00",
        BadgeTone.Poor => "#c62828",
        _ => "#607d8b",
    };

    /// <summary>The width in pixels of <paramref name="text"/> in Verdana 11px.</summary>
    public static double TextWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0.0;
        foreach (var c in text)
            width += c is >= ' ' and <= '~' ? AsciiWidths[c - ' '] : FallbackWidth;
        return width;
    }

    public static string Render(string label, string message, BadgeTone tone)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(message);
        var labelWidth = Math.Ceiling(TextWidth(label) + (2 * Padding));
        var messageWidth = Math.Ceiling(TextWidth(message) + (2 * Padding));
        var width = labelWidth + messageWidth;
        var title = Escape($"{label}: {message}");
        var svg = new StringBuilder(1024);
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{title}</title>");
        svg.Append("""<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<g clip-path="url(#r)"><rect width="{labelWidth}" height="20" fill="#555"/><rect x="{labelWidth}" width="{messageWidth}" height="20" fill="{ColourOf(tone)}"/><rect width="{width}" height="20" fill="url(#s)"/></g>""");
        svg.Append("""<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">""");
        AppendText(svg, label, labelWidth / 2);
        AppendText(svg, message, labelWidth + (messageWidth / 2));
        svg.Append("</g></svg>");
        return svg.ToString();
    }

    private static void AppendText(StringBuilder svg, string text, double centre)
    {
        var escaped = Escape(text);
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{centre}" y="15" fill="#010101" fill-opacity=".3">{escaped}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{centre}" y="14">{escaped}</text>""");
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
