namespace Sustain.Core.Allocation;

/// <summary>Splits a budget between the projects an organisation depends on (see DESIGN.md, "The allocation model").</summary>
public static class Allocator
{
    /// <summary>
    /// Allocates <see cref="AllocationInput.Budget"/> under <paramref name="policy"/>. To try several
    /// budgets or policies on one input, prepare an <see cref="AllocationModel"/> once instead.
    /// </summary>
    public static Allocation Allocate(AllocationInput input, AllocationPolicy policy) =>
        AllocationModel.Prepare(input).Allocate(input.Budget, policy);
}
