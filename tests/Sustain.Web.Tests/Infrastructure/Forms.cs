using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Sustain.Web.Tests.Infrastructure;

/// <summary>
/// Submits a static server-rendered form as a browser would: GET the page, keep the form's hidden
/// fields (the antiforgery token and Blazor's <c>_handler</c>), fill in the rest, POST it back.
/// </summary>
public static class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string url, IReadOnlyDictionary<string, string> fields)
    {
        using var page = await browser.GetAsync(new Uri(url, UriKind.Relative));
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync();
        var form = Parse(html).Forms.Single(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase) && f.QuerySelector("input[name=_handler]") is not null);

        var values = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        Assert.Contains("__RequestVerificationToken", values.Keys);
        foreach (var (name, value) in fields)
            values[name] = value;

        var action = form.GetAttribute("action") is { Length: > 0 } explicitAction ? explicitAction : url;
        using var content = new FormUrlEncodedContent(values);
        return await browser.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);
}
