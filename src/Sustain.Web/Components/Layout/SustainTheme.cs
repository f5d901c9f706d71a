using MudBlazor;

namespace Sustain.Web.Components.Layout;

/// <summary>One theme, light and dark: a deep green for growth and an amber for money.</summary>
public static class SustainTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1b6b4f",
            Secondary = "#c77d14",
            AppbarBackground = "#12402f",
            Background = "#f6f7f5",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1c2421",
            // MudBlazor's default blue gives info alerts' text only 3.6:1 on their tint; this one passes WCAG AA.
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5fc39a",
            Secondary = "#f0a43a",
            AppbarBackground = "#0f1f19",
            Background = "#121614",
            Surface = "#1b211e",
            DrawerBackground = "#1b211e",
            TextPrimary = "#e6ece9",
            Success = "#66bb6a",
            Warning = "#ffb74d",
            Error = "#ef5350",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
            // Sentence case, like the plain-HTML buttons of the static pages, so both kinds read alike side by side.
            Button = new ButtonTypography { TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
