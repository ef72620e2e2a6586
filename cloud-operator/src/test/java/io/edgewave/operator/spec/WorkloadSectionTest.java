package io.edgewave.operator.spec;

import static io.edgewave.operator.spec.Sections.reported;
import static io.edgewave.operator.spec.Sections.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewave.operator.api.v1alpha1.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSectionTest {
  static List<String> check(String workload) {
    FieldErrors errors = new FieldErrors();
    WorkloadSection.check(workload == null ? null : yaml(workload, Workload.class), errors);
    return reported(errors);
  }

  @Test
  void aTemplateWithNamedContainersAndImagesPasses() {
    assertEquals(List.of(), check("template: {spec: {containers: [{name: app, image: \"reg/app:1\"}]}}"));
  }

  @Test
  void aMissingTemplateSaysWhatToGive() {
    assertEquals(List.of("spec.workload.template: is missing; give a pod template with at least one container"),
        check(null));
  }

  @Test
  void everyContainerMistakeIsReportedAtItsIndex() {
    assertEquals(List.of(
        "spec.workload.template.spec.containers[1].name: \"app\" is used twice; container names must be unique",
        "spec.workload.template.spec.containers[1].image: \"reg/app 2\" contains white space",
        "spec.workload.template.spec.containers[2].name: \"Side_Car\" is not a DNS label; use lower-case letters, "
            + "digits and '-'",
        "spec.workload.template.spec.containers[2].image: is empty; set an image such as "
            + "registry.example.com/scan-upload:2.4.1"),
        check("""
            template: {spec: {containers: [{name: app, image: "reg/app:1"}, {name: app, image: "reg/app 2"},
              {name: Side_Car}]}}
            """));
  }

  @Test
  void theOperatorsOwnLabelsAndNodeNameAreRefused() {
    assertEquals(List.of(
        "spec.workload.template.spec.nodeName: must be empty; edgewave pins each copy to its node itself",
        "spec.workload.template.metadata.labels: \"edgewave.io/release\" is reserved for the operator; remove it"),
        check("""
            template:
              metadata: {labels: {edgewave.io/release: x}}
              spec: {nodeName: box-1, containers: [{name: app, image: "reg/app:1"}]}
            """));
  }
}
