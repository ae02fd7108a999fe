// Our own explanations of the net-level messages: NetParameter, LayerParameter, rules and shapes.

export const NET_DESCRIPTIONS: Record<string, string> = {
  'caffe.NetParameter': 'A whole network: its name, its inputs and the ordered list of layers.',
  'caffe.NetParameter.name': 'Name of the network, shown in logs.',
  'caffe.NetParameter.input':
    "An input blob declared by name (the legacy way); a Caffe with the Input layer prefers that layer, an older one (py-faster-rcnn's) knows only this.",
  'caffe.NetParameter.input_shape': 'Shape of each legacy `input`, in the same order.',
  'caffe.NetParameter.input_dim': 'Oldest way to give input shapes: four numbers (N, C, H, W) per `input`.',
  'caffe.NetParameter.force_backward':
    'Run the backward pass through every layer, even where no parameter needs it.',
  'caffe.NetParameter.state':
    'Phase, level and stages the net is built for; decides which include/exclude rules match.',
  'caffe.NetParameter.debug_info': 'Log the magnitude of every blob during forward and backward passes.',
  'caffe.NetParameter.layer': 'One layer of the network (current format), executed in file order.',
  'caffe.NetParameter.layers': 'A layer in the deprecated V1 format; Caffe upgrades it when loading.',
  'caffe.LayerParameter':
    'One layer: its type, the blobs it reads (bottom) and writes (top), and its settings.',
  'caffe.LayerParameter.name': 'Unique name of the layer; learned weights are saved and loaded under it.',
  'caffe.LayerParameter.type': 'Registered layer type, e.g. "Convolution", "ReLU" or "Python".',
  'caffe.LayerParameter.bottom': 'Name of an input blob, produced by an earlier layer.',
  'caffe.LayerParameter.top':
    'Name of an output blob; naming the bottom again makes the layer work in place.',
  'caffe.LayerParameter.phase': 'Set by Caffe to the phase the net runs in; not normally written by hand.',
  'caffe.LayerParameter.loss_weight':
    'Weight of each top in the total loss; loss layers default to 1, others to 0.',
  'caffe.LayerParameter.param':
    'Per-blob learning settings (learning-rate and decay multipliers, sharing name), one per learned blob.',
  'caffe.LayerParameter.blobs':
    'Stored learned blobs (weights, biases); filled in trained model files, rarely in text.',
  'caffe.LayerParameter.propagate_down': 'Per bottom, whether to send gradients back to it.',
  'caffe.LayerParameter.include': 'Rule saying when the layer is part of the net (e.g. only in phase TEST).',
  'caffe.LayerParameter.exclude': 'Rule saying when the layer is left out of the net.',
  'caffe.LayerParameter.transform_param':
    'Preprocessing of data layers: scaling, mean subtraction, cropping, mirroring.',
  'caffe.LayerParameter.loss_param': 'Shared settings of loss layers: ignored label and normalisation.',
  'caffe.LayerParameter.convolution_param': 'Settings of Convolution, Deconvolution and Im2col layers.',
  'caffe.LayerParameter.pooling_param': 'Settings of Pooling layers.',
  'caffe.LayerParameter.inner_product_param': 'Settings of InnerProduct (fully connected) layers.',
  'caffe.LayerParameter.data_param': 'Settings of Data layers (database source, batch size).',
  'caffe.LayerParameter.python_param': 'Settings of Python layers: module, class and param_str.',
  'caffe.ParamSpec': 'Learning settings for one learned blob of a layer.',
  'caffe.ParamSpec.name': 'Layers whose blobs carry the same name share those weights.',
  'caffe.ParamSpec.share_mode': 'How strictly shapes of shared blobs must agree.',
  'caffe.ParamSpec.lr_mult': 'Multiplier on the solver learning rate for this blob; 0 freezes it.',
  'caffe.ParamSpec.decay_mult': 'Multiplier on the solver weight decay for this blob.',
  'caffe.NetStateRule':
    'A condition on the net state; a layer is kept when any include rule (or no exclude rule) matches.',
  'caffe.NetStateRule.phase': 'Matches only in this phase (TRAIN or TEST).',
  'caffe.NetStateRule.min_level': 'Matches only when the state level is at least this.',
  'caffe.NetStateRule.max_level': 'Matches only when the state level is at most this.',
  'caffe.NetStateRule.stage': 'Matches only when the state has every listed stage.',
  'caffe.NetStateRule.not_stage': 'Matches only when the state has none of the listed stages.',
  'caffe.NetState': 'The circumstances a net is built for: phase, level and stages.',
  'caffe.NetState.phase': 'TRAIN or TEST.',
  'caffe.NetState.level': 'A number rules can compare against with min_level/max_level.',
  'caffe.NetState.stage': 'A label rules can require or forbid, e.g. "deploy".',
  'caffe.BlobShape': 'Shape of a blob as a list of dimensions, usually N, C, H, W.',
  'caffe.BlobShape.dim': 'One dimension, outermost first.',
  'caffe.InputParameter': 'Shapes of the tops of an Input layer.',
  'caffe.InputParameter.shape': 'Shape of one top; a single shape applies to every top.',
  'caffe.Phase': 'Whether the net is being trained or evaluated.',
  'caffe.Phase.TRAIN': 'Training: data augmentation and dropout on, gradients computed.',
  'caffe.Phase.TEST': 'Evaluation or deployment: deterministic forward passes only.',
  'caffe.FillerParameter': 'How to initialise a learned blob before training.',
  'caffe.FillerParameter.type':
    'Filler name: constant, uniform, gaussian, xavier, msra, positive_unitball or bilinear.',
  'caffe.FillerParameter.value': 'The value used by the constant filler.',
  'caffe.FillerParameter.min': 'Lower bound of the uniform filler.',
  'caffe.FillerParameter.max': 'Upper bound of the uniform filler.',
  'caffe.FillerParameter.mean': 'Mean of the gaussian filler.',
  'caffe.FillerParameter.std': 'Standard deviation of the gaussian filler.',
  'caffe.FillerParameter.sparse':
    'For gaussian: expected number of non-zero inputs per output (-1 keeps all).',
  'caffe.FillerParameter.variance_norm': 'For xavier/msra: scale by fan-in, fan-out or their average.',
  'caffe.FillerParameter.VarianceNorm.FAN_IN': 'Scale by the number of inputs of each output.',
  'caffe.FillerParameter.VarianceNorm.FAN_OUT': 'Scale by the number of outputs of each input.',
  'caffe.FillerParameter.VarianceNorm.AVERAGE': 'Scale by the mean of fan-in and fan-out.',
};
