"""nnU-Net v2's PlainConvUNet written in plain PyTorch (no nnunetv2 / dynamic_network_architectures needed).

The module tree mirrors dynamic_network_architectures' PlainConvUNet attribute by attribute
(encoder.stages[s][0].convs[i].{conv,norm,nonlin,all_modules}, decoder.{stages,transpconvs,seg_layers},
decoder.encoder) so that the state-dict keys are the same as in an nnU-Net checkpoint; `build_from_plans`
can therefore also serve as the exporter's network builder for a real PlainConvUNet checkpoint on a machine
without nnunetv2 (the default builder uses nnunetv2 itself).

Structure (nnU-Net 3d_fullres default): per stage `n_conv_per_stage` x [Conv3d(k, stride on the first conv,
padding (k-1)//2, bias) -> InstanceNorm3d(eps 1e-5, affine) -> LeakyReLU(0.01)]; decoder per stage:
ConvTranspose3d(kernel = stride = encoder stride) -> concat skip -> conv blocks; 1x1x1 segmentation head.
With deep supervision off only the full-resolution head is evaluated.
"""
from __future__ import annotations

import torch
from torch import nn

import nnunet_plans


class ConvDropoutNormReLU(nn.Module):
    def __init__(self, cin, cout, kernel, stride, conv_bias=True, eps=1e-5, slope=1e-2):
        super().__init__()
        kernel = _triple(kernel)
        self.conv = nn.Conv3d(cin, cout, kernel, _triple(stride), padding=[(k - 1) // 2 for k in kernel],
                              bias=conv_bias)
        self.norm = nn.InstanceNorm3d(cout, eps=eps, affine=True)
        self.nonlin = nn.LeakyReLU(negative_slope=slope, inplace=True)
        # same modules again as one Sequential, exactly like nnU-Net (hence duplicate state-dict keys)
        self.all_modules = nn.Sequential(self.conv, self.norm, self.nonlin)

    def forward(self, x):
        return self.all_modules(x)


class StackedConvBlocks(nn.Module):
    def __init__(self, num_convs, cin, cout, kernel, initial_stride, conv_bias=True):
        super().__init__()
        self.convs = nn.Sequential(
            ConvDropoutNormReLU(cin, cout, kernel, initial_stride, conv_bias),
            *[ConvDropoutNormReLU(cout, cout, kernel, 1, conv_bias) for _ in range(1, num_convs)])

    def forward(self, x):
        return self.convs(x)


class PlainConvEncoder(nn.Module):
    def __init__(self, in_channels, features, kernels, strides, n_conv, conv_bias=True):
        super().__init__()
        stages = []
        for s in range(len(features)):
            stages.append(nn.Sequential(StackedConvBlocks(n_conv[s], in_channels, features[s], kernels[s],
                                                          strides[s], conv_bias)))
            in_channels = features[s]
        self.stages = nn.Sequential(*stages)
        self.output_channels = list(features)
        self.strides = [_triple(s) for s in strides]
        self.kernel_sizes = list(kernels)
        self.conv_bias = conv_bias

    def forward(self, x):
        skips = []
        for stage in self.stages:
            x = stage(x)
            skips.append(x)
        return skips


class UNetDecoder(nn.Module):
    def __init__(self, encoder: PlainConvEncoder, num_classes, n_conv_decoder):
        super().__init__()
        self.encoder = encoder
        n = len(encoder.output_channels)
        stages, transpconvs, seg_layers = [], [], []
        for s in range(1, n):
            below, skip = encoder.output_channels[-s], encoder.output_channels[-(s + 1)]
            stride = encoder.strides[-s]
            transpconvs.append(nn.ConvTranspose3d(below, skip, stride, stride, bias=encoder.conv_bias))
            stages.append(StackedConvBlocks(n_conv_decoder[s - 1], 2 * skip, skip,
                                            encoder.kernel_sizes[-(s + 1)], 1, encoder.conv_bias))
            seg_layers.append(nn.Conv3d(skip, num_classes, 1, 1, 0, bias=True))
        self.stages = nn.ModuleList(stages)
        self.transpconvs = nn.ModuleList(transpconvs)
        self.seg_layers = nn.ModuleList(seg_layers)

    def forward(self, skips):
        x = skips[-1]
        for s in range(len(self.stages)):
            x = self.transpconvs[s](x)
            x = torch.cat((x, skips[-(s + 2)]), 1)
            x = self.stages[s](x)
        return self.seg_layers[-1](x)  # deep supervision off: full-resolution head only


class PlainConvUNet(nn.Module):
    def __init__(self, in_channels, features, kernels, strides, n_conv, num_classes, n_conv_decoder,
                 conv_bias=True):
        super().__init__()
        self.encoder = PlainConvEncoder(in_channels, features, kernels, strides, n_conv, conv_bias)
        self.decoder = UNetDecoder(self.encoder, num_classes, n_conv_decoder)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def _triple(v):
    return [v] * 3 if isinstance(v, int) else list(v)


def arch_from_plans(plans: dict, configuration: str = "3d_fullres") -> dict:
    """PlainConvUNet constructor arguments from a plans.json, new (>= 2.4 'architecture') or old layout."""
    cfg = nnunet_plans.configuration(plans, configuration)
    if "architecture" in cfg:
        a = cfg["architecture"]
        name = a["network_class_name"].split(".")[-1]
        if name != "PlainConvUNet":
            raise ValueError(f"plain_conv_unet builds PlainConvUNet only, plans name {a['network_class_name']}")
        k = a["arch_kwargs"]
        nconv = k["n_conv_per_stage"]
        ndec = k["n_conv_per_stage_decoder"]
        n = k["n_stages"]
        return dict(features=list(k["features_per_stage"]), kernels=list(k["kernel_sizes"]),
                    strides=list(k["strides"]), n_conv=nconv if isinstance(nconv, list) else [nconv] * n,
                    n_conv_decoder=ndec if isinstance(ndec, list) else [ndec] * (n - 1),
                    conv_bias=bool(k.get("conv_bias", True)))
    if cfg.get("UNet_class_name", "PlainConvUNet") != "PlainConvUNet":
        raise ValueError(f"plain_conv_unet builds PlainConvUNet only, plans name {cfg['UNet_class_name']}")
    strides = cfg["pool_op_kernel_sizes"]
    n = len(strides)
    base, cap = cfg["UNet_base_num_features"], cfg["unet_max_num_features"]
    return dict(features=[min(base * 2 ** i, cap) for i in range(n)], kernels=cfg["conv_kernel_sizes"],
                strides=strides, n_conv=list(cfg["n_conv_per_stage_encoder"]),
                n_conv_decoder=list(cfg["n_conv_per_stage_decoder"]), conv_bias=True)


def build_from_plans(plans: dict, configuration: str, num_input_channels: int, num_classes: int) -> PlainConvUNet:
    a = arch_from_plans(plans, configuration)
    return PlainConvUNet(num_input_channels, a["features"], a["kernels"], a["strides"], a["n_conv"], num_classes,
                         a["n_conv_decoder"], a["conv_bias"])


def load_network(model_folder, plans: dict, dataset: dict, configuration: str, checkpoint) -> nn.Module:
    """Exporter builder hook: network with the checkpoint's weights, eval mode, deep supervision off."""
    num_classes = len(dataset["labels"])
    num_inputs = len(dataset.get("channel_names", dataset.get("modality", {"0": "CT"})))
    net = build_from_plans(plans, configuration, num_inputs, num_classes)
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    weights = state.get("network_weights", state)
    weights = {k.removeprefix("_orig_mod.").removeprefix("module."): v for k, v in weights.items()}
    net.load_state_dict(weights, strict=True)
    return net.eval()
