using System.Globalization;
using System.Xml.Linq;
using Sustain.Core.Badges;

namespace Sustain.Core.Tests.Badges;

public class BadgeTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Renders_well_formed_svg_with_both_texts_and_an_accessible_title()
    {
        var svg = XDocument.Parse(Badge.Render("sustain", "USD 1,200 / year", BadgeTone.Good));

        Assert.Equal(Svg + "svg", svg.Root!.Name);
        Assert.Equal("sustain: USD 1,200 / year", svg.Root.Attribute("aria-label")!.Value);
        Assert.Equal("sustain: USD 1,200 / year", svg.Root.Element(Svg + "title")!.Value);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).Distinct().ToList();
        Assert.Equal(["sustain", "USD 1,200 / year"], texts);
    }

    [Fact]
    public void The_message_half_takes_the_tone_colour()
    {
        var svg = XDocument.Parse(Badge.Render("funded", "no", BadgeTone.Poor));

        var fills = svg.Descendants(Svg + "rect").Select(r => (string?)r.Attribute("fill")).ToList();
        Assert.Contains(Badge.ColourOf(BadgeTone.Poor), fills);
        Assert.DoesNotContain(Badge.ColourOf(BadgeTone.Good), fills);
    }

    [Fact]
    public void Markup_in_a_name_is_text_not_markup()
    {
        var svg = XDocument.Parse(Badge.Render("<script>alert(1)</script>", "a & b \"c\"", BadgeTone.Neutral));

        Assert.Empty(svg.Descendants("script"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "<script>alert(1)</script>");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "a & b \"c\"");
    }

    [Fact]
    public void A_longer_message_makes_a_wider_badge_that_fits_its_text()
    {
        static double WidthOf(string message) =>
            double.Parse(XDocument.Parse(Badge.Render("sustain", message, BadgeTone.Good)).Root!.Attribute("width")!.Value, CultureInfo.InvariantCulture);

        var narrow = WidthOf("USD 5");
        var wide = WidthOf("USD 5,000,000 / year");

        Assert.True(wide > narrow);
        Assert.True(wide >= Badge.TextWidth("sustain") + Badge.TextWidth("USD 5,000,000 / year"));
    }

    [Fact]
    public void Wide_letters_measure_wider_than_narrow_ones()
    {
        Assert.True(Badge.TextWidth("WWWW") > Badge.TextWidth("iiii"));
        Assert.Equal(0, Badge.TextWidth(""));
        Assert.True(Badge.TextWidth("é") > 0);
    }
}
