using Sustain.Core.Graphs;
using Sustain.Core.Projects;
using Sustain.Core.Sboms;

namespace Sustain.Core.Allocation;

/// <summary>
/// An allocation input from SBOMs alone: each document a product, each package's project what the
/// document says of it (<see cref="ProjectKey.TryFromComponent"/>), and a package the document says
/// nothing of stands as its own project. The projects of the documents' roots are the
/// organisation's own, so the default policy does not fund them.
/// </summary>
public static class SbomAllocationInput
{
    public static AllocationInput From(Money budget, IEnumerable<(string Product, SbomDocument Document)> products)
    {
        var graphs = new List<ProductGraph>();
        var projectOfPackage = new Dictionary<string, string>(StringComparer.Ordinal);
        var own = new Dictionary<string, ProjectAttributes>(StringComparer.Ordinal);
        foreach (var (product, document) in products)
        {
            var keys = new string[document.Components.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                var component = document.Components[i];
                keys[i] = PackageKeyOf(component);
                if (ProjectKey.TryFromComponent(component, out var project, out _))
                    projectOfPackage.TryAdd(keys[i], project);
            }

            foreach (var root in document.Roots)
            {
                var project = projectOfPackage.GetValueOrDefault(keys[root], keys[root]);
                own[project] = new ProjectAttributes { OwnedByOrganisation = true };
            }

            graphs.Add(new ProductGraph(product, DependencyGraph.Build(document), keys));
        }

        return new AllocationInput { Budget = budget, Products = graphs, ProjectOfPackage = projectOfPackage, Projects = own };
    }

    /// <summary>The package a component is: its purl without version, or its name where it has no purl.</summary>
    public static string PackageKeyOf(SbomComponent component) =>
        component.Purl?.PackageKey ?? component.Name ?? component.Ref;
}
