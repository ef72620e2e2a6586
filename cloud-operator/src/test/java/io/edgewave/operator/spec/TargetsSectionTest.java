package io.edgewave.operator.spec;

import static io.edgewave.operator.spec.Sections.reported;
import static io.edgewave.operator.spec.Sections.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewave.operator.api.v1alpha1.Targets;
import io.edgewave.operator.plan.NodeSelector;
import io.edgewave.operator.plan.TargetPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetsSectionTest {
  @Test
  void selectorNamesAndExclusionsBecomeATargetPolicy() {
    FieldErrors errors = new FieldErrors();
    TargetPolicy t = TargetsSection.parse(yaml("""
        selector:
          matchLabels: {edgewave.io/class: gpu-box}
          matchExpressions: [{key: edgewave.io/site, operator: NotIn, values: [lab]}]
        nodes: [spare-1]
        exclude: [gpu-box-7]
        """, Targets.class), errors);
    assertEquals(List.of(), reported(errors));
    assertEquals(new TargetPolicy(new NodeSelector(Map.of("edgewave.io/class", "gpu-box"),
        List.of(new NodeSelector.Requirement("edgewave.io/site", NodeSelector.Operator.NotIn, Set.of("lab")))),
        Set.of("spare-1"), Set.of("gpu-box-7")), t);
  }

  @Test
  void targetsThatSelectNothingSayHowToSelect() {
    FieldErrors errors = new FieldErrors();
    TargetsSection.parse(yaml("exclude: [a]", Targets.class), errors);
    assertEquals(List.of("spec.targets: selects no nodes; set targets.selector (e.g. matchLabels: "
        + "{edgewave.io/class: transit-center}) or targets.nodes"), reported(errors));
  }

  @Test
  void missingTargetsAreReported() {
    FieldErrors errors = new FieldErrors();
    TargetsSection.parse(null, errors);
    assertEquals(List.of("spec.targets: is missing; select nodes with targets.selector or list them in targets.nodes"),
        reported(errors));
  }

  @Test
  void selectorMistakesNameTheExpressionAndBlankNodeNamesTheirIndex() {
    FieldErrors errors = new FieldErrors();
    TargetsSection.parse(yaml("""
        selector:
          matchLabels: {"bad key!": x}
          matchExpressions: [{key: site, operator: In}, {key: zone, operator: Exists, values: [a]}]
        nodes: [ok, " "]
        """, Targets.class), errors);
    assertEquals(List.of(
        "spec.targets.selector.matchLabels: \"bad key!\" is not a label key",
        "spec.targets.selector.matchExpressions[0].values: is empty; In needs values",
        "spec.targets.selector.matchExpressions[1].values: must be empty with Exists",
        "spec.targets.nodes[1]: is not a node name"), reported(errors));
  }
}
