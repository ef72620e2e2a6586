package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One release event waiting in the outbox: its sequence number, kind, when it became true, wave and details. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Notice {
  private Long seq;
  private String kind;
  private String at;
  private String wave;
  private String detail;

  public Notice() {}

  public Notice(long seq, String kind, String at, String wave, String detail) {
    this.seq = seq;
    this.kind = kind;
    this.at = at;
    this.wave = wave;
    this.detail = detail;
  }

  public Long getSeq() { return seq; }
  public void setSeq(Long seq) { this.seq = seq; }
  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
  public String getWave() { return wave; }
  public void setWave(String wave) { this.wave = wave; }
  public String getDetail() { return detail; }
  public void setDetail(String detail) { this.detail = detail; }
}
