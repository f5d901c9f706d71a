using System.Globalization;

namespace Sustain.Web.Sboms;

public enum ComponentScope
{
    All,
    Direct,
    Transitive,
}

public enum ComponentSort
{
    Name,
    Depth,
    Ecosystem,
    License,
}

/// <summary>
/// What the dependency view asks for: one page of the current components of an organisation's
/// products (or one product's), filtered and sorted. Pages count from 1.
/// </summary>
public sealed record ComponentFilter
{
    public const int MaxPageSize = 500;

    public string? Product { get; init; }

    /// <summary>Matched, case-insensitively, against the name, package URL and version.</summary>
    public string? Search { get; init; }

    public ComponentScope Scope { get; init; }

    public string? Ecosystem { get; init; }

    /// <summary>One licence (an SPDX id or expression as the document gave it), matched as a whole entry of the component's licences.</summary>
    public string? License { get; init; }

    /// <summary>Only components reached within this many steps of the product root.</summary>
    public int? MaxDepth { get; init; }

    public ComponentSort Sort { get; init; }

    public bool Descending { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;

    /// <summary>
    /// Reads the API's query string: each value checked, every problem named with the parameter it
    /// came from, so a 400 says exactly what to fix.
    /// </summary>
    public static (ComponentFilter? Filter, Dictionary<string, string[]> Errors) Parse(
        string? product, string? q, string? scope, string? ecosystem, string? license, string? maxDepth, string? sort, string? page, string? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = new ComponentFilter
        {
            Product = Blank(product),
            Search = Blank(q),
            Ecosystem = Blank(ecosystem)?.ToLowerInvariant(),
            License = Blank(license),
        };

        switch (Blank(scope)?.ToLowerInvariant())
        {
            case null or "all":
                break;
            case "direct":
                filter = filter with { Scope = ComponentScope.Direct };
                break;
            case "transitive":
                filter = filter with { Scope = ComponentScope.Transitive };
                break;
            default:
                errors["scope"] = [$"'{scope}' is not a scope; use direct, transitive or all."];
                break;
        }

        if (Blank(maxDepth) is { } depthText)
        {
            if (int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out var depth) && depth >= 1)
                filter = filter with { MaxDepth = depth };
            else
                errors["maxDepth"] = [$"'{maxDepth}' is not a depth; use a whole number of 1 or more (1 is the direct dependencies)."];
        }

        if (Blank(sort) is { } sortText)
        {
            var descending = sortText.StartsWith('-');
            var parsed = descending ? sortText[1..] : sortText;
            ComponentSort? key = parsed.ToLowerInvariant() switch
            {
                "name" => ComponentSort.Name,
                "depth" => ComponentSort.Depth,
                "ecosystem" => ComponentSort.Ecosystem,
                "license" or "licence" => ComponentSort.License,
                _ => null,
            };
            if (key is null)
                errors["sort"] = [$"'{sort}' is not a sort; use name, depth, ecosystem or license, with a leading '-' for descending."];
            else
                filter = filter with { Sort = key.Value, Descending = descending };
        }

        if (Blank(page) is { } pageText)
        {
            if (int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1)
                filter = filter with { Page = number };
            else
                errors["page"] = [$"'{page}' is not a page number; pages count from 1."];
        }

        if (Blank(pageSize) is { } sizeText)
        {
            if (int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
                filter = filter with { PageSize = size };
            else
                errors["pageSize"] = [$"'{pageSize}' is not a page size; use 1 to {MaxPageSize}."];
        }

        if (filter.Search is { Length: > 200 })
            errors["q"] = ["The search is longer than 200 characters."];

        return errors.Count == 0 ? (filter, errors) : (null, errors);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
